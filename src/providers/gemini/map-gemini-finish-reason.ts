import type { FinishReason } from '../../core/index.js';

const CONTENT_FILTER_REASONS = new Set([
  'SAFETY',
  'RECITATION',
  'PROHIBITED_CONTENT',
  'BLOCKLIST',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'NO_IMAGE',
  'MODEL_ARMOR',
]);

/** Finish reasons that mean the model emitted an unusable tool call: a glitch worth retrying, not an answer. */
const MALFORMED_TOOL_CALL_REASONS = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/** True when a Gemini finish reason reports a malformed or unexpected tool call. */
export function isMalformedToolCallFinish(raw: string): boolean {
  return MALFORMED_TOOL_CALL_REASONS.has(raw);
}

/**
 * Maps a Gemini `finishReason` (or `promptFeedback.blockReason`) to the unified value. Gemini has no tool-call
 * reason: a `STOP` turn that produced function calls is reported as `tool-calls`.
 */
export function mapGeminiFinishReason(raw: string, hasToolCalls: boolean): FinishReason {
  if (raw === 'STOP') return { unified: hasToolCalls ? 'tool-calls' : 'stop', raw };
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (CONTENT_FILTER_REASONS.has(raw)) return { unified: 'content-filter', raw };
  if (isMalformedToolCallFinish(raw)) return { unified: 'error', raw };
  return { unified: 'other', raw };
}
