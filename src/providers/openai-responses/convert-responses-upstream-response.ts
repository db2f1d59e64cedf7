import { GatewayError, isRecord, type AssistantPart, type CanonicalResponse } from '../../core/index.js';
import { fromOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import { responsesFailure, responsesFinishReason } from './responses-upstream-outcome.js';

function texts(parts: unknown, type: string): string {
  return Array.isArray(parts) ? parts.filter((part) => isRecord(part) && part.type === type && typeof part.text === 'string').map((part) => (part as { text: string }).text).join('') : '';
}

/** Translates a Responses API response body (non-streaming) into the canonical response: output items in order. */
export function convertResponsesUpstreamResponse(body: unknown, providerId: string, model: string): CanonicalResponse {
  if (!isRecord(body) || !Array.isArray(body.output)) {
    throw new GatewayError('upstream_malformed_response', `${providerId} returned a Responses body without output`, { provider: providerId });
  }
  if (body.status === 'failed') throw responsesFailure(body.error, providerId);
  const content: AssistantPart[] = [];
  for (const item of body.output) {
    if (!isRecord(item)) continue;
    if (item.type === 'message') {
      const text = texts(item.content, 'output_text');
      if (text !== '') content.push({ type: 'text', text });
    } else if (item.type === 'reasoning') {
      content.push({ type: 'reasoning', text: texts(item.summary, 'summary_text') || texts(item.content, 'reasoning_text') });
    } else if (item.type === 'function_call' && typeof item.call_id === 'string' && typeof item.name === 'string') {
      content.push({ type: 'tool-call', callId: item.call_id, name: item.name, arguments: typeof item.arguments === 'string' ? item.arguments : '{}' });
    }
  }
  const response: CanonicalResponse = {
    content,
    finishReason: responsesFinishReason(body, content.some((part) => part.type === 'tool-call')),
    usage: fromOpenAIResponsesUsage(body.usage),
    warnings: [],
    model: typeof body.model === 'string' ? body.model : model,
  };
  if (typeof body.id === 'string') response.id = body.id;
  return response;
}
