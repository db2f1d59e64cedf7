import type { AssistantPart, CanonicalResponse } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { fromOpenAIUsage } from '../../wire/openai-chat/openai-usage.js';
import type { z } from 'zod';
import { matchPlainChatResponse } from './match-plain-chat-response.js';
import { fromOpenAIFinishReason } from '../../wire/openai-chat/openai-finish-reason.js';
import { describeFirstIssue, openAIChatResponseSchema } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { readReasoningText, splitOpenAIContent } from './split-openai-content.js';

function validateWithSchema(body: unknown, providerId: string): z.infer<typeof openAIChatResponseSchema> {
  const parsed = openAIChatResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_malformed_response', `${providerId} returned an unexpected body (${describeFirstIssue(parsed.error)})`, {
      provider: providerId,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** Translates a non-streaming Chat Completions body; throws GatewayError('upstream_malformed_response') on a misfit. */
export function parseOpenAIChatResponse(body: unknown, providerId: string, model: string): CanonicalResponse {
  const data = matchPlainChatResponse(body) ?? validateWithSchema(body, providerId);
  const choice = data.choices[0];
  if (choice === undefined) {
    throw new GatewayError('upstream_malformed_response', `${providerId} returned no choices`, { provider: providerId });
  }
  const message = choice.message;
  const content: AssistantPart[] = [];
  const reasoning = readReasoningText(message);
  if (reasoning !== '') content.push({ type: 'reasoning', text: reasoning });
  for (const piece of splitOpenAIContent(message.content)) {
    content.push(piece.kind === 'text' ? { type: 'text', text: piece.text } : { type: 'reasoning', text: piece.text });
  }
  const refusal = message.refusal ?? '';
  if (refusal !== '') content.push({ type: 'text', text: refusal });
  (message.tool_calls ?? []).forEach((call, i) => {
    content.push({
      type: 'tool-call',
      callId: call.id || `call_${i}`,
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    });
  });
  const response: CanonicalResponse = {
    model: data.model || model,
    content,
    finishReason: fromOpenAIFinishReason(choice.finish_reason, refusal !== ''),
    usage: data.usage ? fromOpenAIUsage(data.usage) : {},
    warnings: [],
  };
  if (data.id) response.id = data.id;
  return response;
}
