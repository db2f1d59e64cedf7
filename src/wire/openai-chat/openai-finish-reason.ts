import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

/** OpenAI `finish_reason` values the gateway writes to clients. */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Every `finish_reason` the OpenAI family sends (incl. DeepSeek and Mistral extras) and the unified value it means. */
const UNIFIED_OF: Readonly<Record<string, UnifiedFinishReason>> = {
  stop: 'stop',
  length: 'length',
  model_length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  insufficient_system_resource: 'error',
  error: 'error',
};

/** The `finish_reason` written for each unified value; `error` and `other` have no OpenAI value and become `stop`. */
const FINISH_REASON_OF: Readonly<Record<UnifiedFinishReason, OpenAIFinishReason>> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'stop',
  other: 'stop',
};

/** Maps an OpenAI-family `finish_reason` to the unified value, keeping the raw. */
export function fromOpenAIFinishReason(raw: string | null | undefined, refused = false): FinishReason {
  if (raw === null || raw === undefined) return { unified: refused ? 'content-filter' : 'other' };
  // A refusal arrives as finish_reason "stop" plus a `refusal` text; the raw value stays what the vendor sent.
  if (refused && raw === 'stop') return { unified: 'content-filter', raw };
  return { unified: (Object.hasOwn(UNIFIED_OF, raw) ? UNIFIED_OF[raw] : undefined) ?? 'other', raw };
}

/** Maps the unified finish reason to OpenAI's `finish_reason`. */
export function toOpenAIFinishReason(reason: FinishReason): OpenAIFinishReason {
  return FINISH_REASON_OF[reason.unified];
}
