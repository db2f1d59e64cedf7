import type { CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { toOpenAIResponsesOutcome } from '../../wire/openai-responses/openai-responses-status.js';
import { toOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import { functionCallItem, messageItem, reasoningItem, responseEnvelope, responseId } from './responses-output-items.js';

/** Renders a complete response as a Responses API `response` object: one output item per canonical part. */
export function renderOpenAIResponsesResponse(response: CanonicalResponse, context: RenderContext): unknown {
  const base = responseId(context).slice('resp_'.length);
  const output = response.content.flatMap((part, i): Array<Record<string, unknown>> => {
    if (part.type === 'text') return part.text === '' ? [] : [messageItem(`msg_${base}_${i}`, part.text, 'completed')];
    if (part.type === 'reasoning') return part.text === '' ? [] : [reasoningItem(`rs_${base}_${i}`, part.text)];
    return [functionCallItem(`fc_${base}_${i}`, part, 'completed', context.request)];
  });
  return {
    ...responseEnvelope(context),
    ...toOpenAIResponsesOutcome(response.finishReason),
    output,
    usage: toOpenAIResponsesUsage(response.usage),
  };
}
