import type { FinishReason } from '../../core/index.js';

/** A Responses API response's terminal status and, when incomplete, why. */
export interface OpenAIResponsesOutcome {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
}

/** Maps a finish reason to the Responses `status` / `incomplete_details` pair (tool calls are a completed response). */
export function toOpenAIResponsesOutcome(reason: FinishReason): OpenAIResponsesOutcome {
  if (reason.unified === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason.unified === 'content-filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}
