import type { CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { toOpenAIFinishReason } from '../../wire/openai-chat/openai-finish-reason.js';
import { toOpenAIUsage } from '../../wire/openai-chat/openai-usage.js';

interface OpenAIToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** Renders a complete response as an OpenAI `chat.completion` body. */
export function renderOpenAIChatResponse(response: CanonicalResponse, context: RenderContext): unknown {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const part of response.content) {
    if (part.type === 'text') texts.push(part.text);
    else if (part.type === 'reasoning') reasoning.push(part.text);
    else toolCalls.push({ id: part.callId, type: 'function', function: { name: part.name, arguments: part.arguments } });
  }
  const reasoningText = reasoning.join('');
  const message = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
    ...(reasoningText === '' ? {} : { reasoning_content: reasoningText }),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    refusal: null,
    annotations: [],
  };
  return {
    id: `chatcmpl-${context.requestId}`,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: toOpenAIFinishReason(response.finishReason) }],
    usage: toOpenAIUsage(response.usage),
  };
}
