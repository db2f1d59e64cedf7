/** One model's answer in a comparison, as `/v1/compare` returns it and the store keeps it. */
export interface ComparisonLeg {
  leg: number;
  /** The model name the client asked for. */
  model: string;
  /** The leg's own request id: its row in the request log. */
  request_id: string;
  provider?: string;
  served_model?: string;
  output?: string;
  finish_reason?: string;
  ttft_ms?: number;
  latency_ms: number;
  usage?: { input_tokens?: number; output_tokens?: number; reasoning_tokens?: number };
  cost_usd?: number;
  error?: { code: string; message: string };
}

/** The judge's verdict on a comparison: a score from 0 to 1 per leg it could score, or why it could not. */
export interface ComparisonJudgement {
  /** The judge model (`compare.judge.model`). */
  model: string;
  /** The feedback metric the scores were stored under. */
  metric: string;
  /** The judge call's own request id: its row in the request log. */
  request_id: string;
  scores: Array<{ leg: number; model: string; score: number; reason?: string }>;
  error?: { code: string; message: string };
}

/** A stored comparison: the request (without `models`), the models, each leg's result and the judge's scores. */
export interface StoredComparison {
  id: string;
  /** Epoch milliseconds when the comparison arrived. */
  created_at: number;
  models: string[];
  request: unknown;
  legs: ComparisonLeg[];
  judge?: ComparisonJudgement;
}

/** One page of comparisons, newest first; `nextCursor` is set when more exist. */
export interface ComparisonPage {
  comparisons: StoredComparison[];
  nextCursor?: string;
}
