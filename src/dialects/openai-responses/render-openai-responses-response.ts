import type { CanonicalResponse, GatewayError } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { toOpenAIResponsesOutcome } from '../../wire/openai-responses/openai-responses-status.js';
import { toOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import { DEFAULT_LIFECYCLE, functionCallItem, messageItem, reasoningItem, responseEnvelope, responseId, type ResponsesLifecycle } from './responses-output-items.js';

/** Renders a complete response as a Responses API `response` object: one output item per canonical part. */
export function renderOpenAIResponsesResponse(
  response: CanonicalResponse,
  context: RenderContext,
  lifecycle: ResponsesLifecycle = DEFAULT_LIFECYCLE,
): Record<string, unknown> {
  const base = responseId(context).slice('resp_'.length);
  const output = response.content.flatMap((part, i): Array<Record<string, unknown>> => {
    if (part.type === 'text') return part.text === '' ? [] : [messageItem(`msg_${base}_${i}`, part.text, 'completed')];
    if (part.type === 'reasoning') return part.text === '' ? [] : [reasoningItem(`rs_${base}_${i}`, part.text)];
    return [functionCallItem(`fc_${base}_${i}`, part, 'completed', context.request)];
  });
  return {
    ...responseEnvelope(context, lifecycle),
    ...toOpenAIResponsesOutcome(response.finishReason),
    output,
    usage: toOpenAIResponsesUsage(response.usage),
  };
}

/** A Response object that has no output yet: a background response just accepted (`queued`). */
export function renderPendingResponse(context: RenderContext, lifecycle: ResponsesLifecycle): Record<string, unknown> {
  return { ...responseEnvelope(context, lifecycle), status: 'queued', incomplete_details: null, output: [], usage: null };
}

/** A Response object whose generation failed, as a background response's poller reads it. */
export function renderFailedResponse(context: RenderContext, lifecycle: ResponsesLifecycle, error: GatewayError): Record<string, unknown> {
  return {
    ...responseEnvelope(context, lifecycle),
    status: 'failed',
    incomplete_details: null,
    output: [],
    usage: null,
    error: { code: error.code, message: error.message },
  };
}
