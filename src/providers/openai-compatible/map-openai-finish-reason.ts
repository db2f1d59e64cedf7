import type { FinishReason, UnifiedFinishReason } from '../../core/index.js';

const UNIFIED: Readonly<Record<string, UnifiedFinishReason>> = {
  stop: 'stop',
  length: 'length',
  model_length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
  insufficient_system_resource: 'error',
  error: 'error',
};

/** Maps an OpenAI-family `finish_reason` (incl. DeepSeek and Mistral extras) to the unified value, keeping the raw. */
export function mapOpenAIFinishReason(raw: string | null | undefined, refused = false): FinishReason {
  if (raw === null || raw === undefined) return { unified: refused ? 'content-filter' : 'other' };
  // A refusal arrives as finish_reason "stop" plus a `refusal` text; the raw value stays what the vendor sent.
  if (refused && raw === 'stop') return { unified: 'content-filter', raw };
  return { unified: UNIFIED[raw] ?? 'other', raw };
}
