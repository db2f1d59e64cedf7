import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

/**
 * Every Gemini `finishReason` (and `promptFeedback.blockReason`) known here and the unified value it means; read by
 * both directions. Gemini has no tool-call reason: a `STOP` turn that produced function calls is `tool-calls`.
 */
const UNIFIED_OF: Readonly<Record<string, UnifiedFinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content-filter',
  RECITATION: 'content-filter',
  PROHIBITED_CONTENT: 'content-filter',
  BLOCKLIST: 'content-filter',
  SPII: 'content-filter',
  IMAGE_SAFETY: 'content-filter',
  IMAGE_PROHIBITED_CONTENT: 'content-filter',
  IMAGE_RECITATION: 'content-filter',
  IMAGE_OTHER: 'content-filter',
  NO_IMAGE: 'content-filter',
  MODEL_ARMOR: 'content-filter',
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  LANGUAGE: 'other',
  OTHER: 'other',
};

/** The `finishReason` written for each unified value; tool calls finish with `STOP`, as Gemini does. */
const FINISH_REASON_OF: Readonly<Record<UnifiedFinishReason, string>> = {
  stop: 'STOP',
  'tool-calls': 'STOP',
  length: 'MAX_TOKENS',
  'content-filter': 'SAFETY',
  error: 'OTHER',
  other: 'OTHER',
};

/** True when a Gemini finish reason reports a malformed or unexpected tool call: a glitch worth retrying. */
export function isMalformedToolCallFinish(raw: string): boolean {
  return UNIFIED_OF[raw] === 'error';
}

/** Maps a Gemini finish reason to the unified value, keeping the raw one. */
export function fromGeminiFinishReason(raw: string, hasToolCalls: boolean): FinishReason {
  const unified = Object.hasOwn(UNIFIED_OF, raw) ? (UNIFIED_OF[raw] ?? 'other') : 'other';
  return { unified: unified === 'stop' && hasToolCalls ? 'tool-calls' : unified, raw };
}

/** Maps a canonical finish reason to Gemini's `finishReason`; a raw Gemini value is echoed, being more precise. */
export function toGeminiFinishReason(reason: FinishReason): string {
  if (reason.raw !== undefined && Object.hasOwn(UNIFIED_OF, reason.raw)) return reason.raw;
  return FINISH_REASON_OF[reason.unified];
}
