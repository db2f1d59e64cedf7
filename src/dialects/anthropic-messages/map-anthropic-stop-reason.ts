import type { FinishReason } from '../../core/index.js';

/** Anthropic `stop_reason` values. */
export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Raw values only an Anthropic upstream produces and no unified value can express; echoed as they came. */
const ANTHROPIC_ONLY: ReadonlySet<string> = new Set(['pause_turn', 'model_context_window_exceeded']);

function toStopReason(reason: FinishReason): AnthropicStopReason {
  if (reason.raw !== undefined && ANTHROPIC_ONLY.has(reason.raw)) return reason.raw as AnthropicStopReason;
  switch (reason.unified) {
    case 'stop':
      return reason.stopSequence === undefined ? 'end_turn' : 'stop_sequence';
    case 'length':
      return 'max_tokens';
    case 'tool-calls':
      return 'tool_use';
    case 'content-filter':
      return 'refusal';
    case 'error':
    case 'other':
      return 'end_turn';
  }
}

/** Maps a canonical finish reason to Anthropic's `stop_reason` and `stop_sequence` (set only for stop_sequence). */
export function toAnthropicStopReason(reason: FinishReason): {
  stopReason: AnthropicStopReason;
  stopSequence: string | null;
} {
  const stopReason = toStopReason(reason);
  return { stopReason, stopSequence: stopReason === 'stop_sequence' ? (reason.stopSequence ?? null) : null };
}
