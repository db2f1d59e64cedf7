import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

const UNIFIED: Readonly<Record<string, UnifiedFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/**
 * Maps `stop_reason`, keeping the raw value and the matched stop sequence. When the only tool called was the
 * JSON-output tool (whose input is returned as text), `tool_use` means the answer is complete: `stop`.
 */
export function mapAnthropicStopReason(
  raw: string | null | undefined,
  stopSequence: string | null | undefined,
  jsonOutputOnly: boolean,
): FinishReason {
  if (raw == null) return { unified: 'other' };
  const unified = raw === 'tool_use' && jsonOutputOnly ? 'stop' : (UNIFIED[raw] ?? 'other');
  const reason: FinishReason = { unified, raw };
  if (stopSequence != null) reason.stopSequence = stopSequence;
  return reason;
}
