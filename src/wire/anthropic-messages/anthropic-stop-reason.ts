import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

/** Anthropic `stop_reason` values. */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Every `stop_reason` and the unified value it means: read by both directions. */
const UNIFIED_OF: Readonly<Record<AnthropicStopReason, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** The `stop_reason` written for each unified value; `stop` becomes `stop_sequence` when a sequence matched. */
const STOP_REASON_OF: Readonly<Record<UnifiedFinishReason, AnthropicStopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  error: 'end_turn',
  other: 'end_turn',
};

function isAnthropicStopReason(raw: string): raw is AnthropicStopReason {
  return Object.hasOwn(UNIFIED_OF, raw);
}

/** Raw values only an Anthropic upstream produces and no unified value can express; echoed as they came. */
const ANTHROPIC_ONLY: ReadonlySet<string> = new Set(['pause_turn', 'model_context_window_exceeded']);

function toStopReason(reason: FinishReason): AnthropicStopReason {
  if (reason.raw !== undefined && ANTHROPIC_ONLY.has(reason.raw) && isAnthropicStopReason(reason.raw)) return reason.raw;
  if (reason.unified === 'stop' && reason.stopSequence !== undefined) return 'stop_sequence';
  return STOP_REASON_OF[reason.unified];
}

/** Maps a canonical finish reason to Anthropic's `stop_reason` and `stop_sequence` (set only for stop_sequence). */
export function toAnthropicStopReason(reason: FinishReason): {
  stopReason: AnthropicStopReason;
  stopSequence: string | null;
} {
  const stopReason = toStopReason(reason);
  return { stopReason, stopSequence: stopReason === 'stop_sequence' ? (reason.stopSequence ?? null) : null };
}

/**
 * Maps `stop_reason`, keeping the raw value and the matched stop sequence. When the only tool called was the
 * JSON-output tool (whose input is returned as text), `tool_use` means the answer is complete: `stop`.
 */
export function fromAnthropicStopReason(
  raw: string | null | undefined,
  stopSequence: string | null | undefined,
  jsonOutputOnly: boolean,
): FinishReason {
  if (raw == null) return { unified: 'other' };
  const known = isAnthropicStopReason(raw) ? UNIFIED_OF[raw] : 'other';
  const unified = raw === 'tool_use' && jsonOutputOnly ? 'stop' : known;
  const reason: FinishReason = { unified, raw };
  if (stopSequence != null) reason.stopSequence = stopSequence;
  return reason;
}
