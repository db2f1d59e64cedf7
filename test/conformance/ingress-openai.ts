import OpenAI from 'openai';
import type { ChatCompletionCreateParamsBase, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ERROR_TABLE } from '../../src/core/index.js';
import type { ClientError, ClientReply, Ingress, NeutralMessage, NeutralRequest, NeutralToolCall } from './conformance-types.js';

function toMessages(request: NeutralRequest): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (request.system !== undefined) out.push({ role: 'system', content: request.system });
  for (const message of request.messages) out.push(...toMessage(message));
  return out;
}

function toMessage(message: NeutralMessage): ChatCompletionMessageParam[] {
  if (message.role === 'user') {
    if (!message.image) return [{ role: 'user', content: message.text }];
    const url = `data:${message.image.mediaType};base64,${message.image.data}`;
    return [{ role: 'user', content: [{ type: 'text', text: message.text }, { type: 'image_url', image_url: { url } }] }];
  }
  if (message.role === 'assistant') {
    return [
      {
        role: 'assistant',
        content: null,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id ?? '',
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.args) },
        })),
      },
    ];
  }
  const results: ChatCompletionMessageParam[] = message.results.map((result) => ({
    role: 'tool' as const,
    tool_call_id: result.id,
    content: result.content,
  }));
  if (message.followUp !== undefined) results.push({ role: 'user', content: message.followUp });
  return results;
}

function toParams(model: string, request: NeutralRequest): ChatCompletionCreateParamsBase {
  const params: ChatCompletionCreateParamsBase = { model, messages: toMessages(request) };
  if (request.tools) {
    params.tools = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
  }
  if (request.jsonSchema) {
    params.response_format = { type: 'json_schema', json_schema: { name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } };
  }
  if (request.maxTokens !== undefined) params.max_completion_tokens = request.maxTokens;
  return params;
}

function readCalls(calls: OpenAI.ChatCompletionMessageToolCall[] | undefined): NeutralToolCall[] {
  return (calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) as Record<string, unknown> }] : [],
  );
}

function readUsage(usage: OpenAI.CompletionUsage | undefined): ClientReply['usage'] {
  return {
    input: usage?.prompt_tokens,
    output: usage?.completion_tokens,
    cacheRead: usage?.prompt_tokens_details?.cached_tokens,
    reasoning: usage?.completion_tokens_details?.reasoning_tokens,
  };
}

function toReply(completion: OpenAI.ChatCompletion): ClientReply {
  const choice = completion.choices[0];
  return {
    text: choice?.message.content ?? '',
    toolCalls: readCalls(choice?.message.tool_calls),
    finish: choice?.finish_reason,
    usage: readUsage(completion.usage),
  };
}

async function send(gatewayUrl: string, model: string, request: NeutralRequest, seen: string[]): Promise<ClientReply> {
  const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const params = toParams(model, request);
  if (!request.stream) return toReply(await client.chat.completions.create({ ...params, stream: false }));
  const stream = client.chat.completions.stream({ ...params, stream: true, stream_options: { include_usage: true } });
  stream.on('content', (delta) => seen.push(delta));
  return toReply(await stream.finalChatCompletion());
}

/** Reads an error the `openai` SDK threw, whichever OpenAI endpoint it called. */
export function describeOpenAIError(error: unknown): ClientError {
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { type?: string } | undefined;
    return { status: error.status, type: body?.type ?? error.type, message: error.message, retryAfter: error.headers?.get('retry-after') ?? null };
  }
  return { status: undefined, type: undefined, message: String(error) };
}

/** The official `openai` SDK on `/v1/chat/completions`. */
export const openAiIngress: Ingress = {
  name: 'openai SDK',
  finishNames: { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls' },
  errorType: (code) => ERROR_TABLE[code].openai,
  toolCallIds: true,
  reportsReasoningTokens: true,
  send,
  describeError: describeOpenAIError,
  isSdkError: (error) => error instanceof OpenAI.OpenAIError,
};
