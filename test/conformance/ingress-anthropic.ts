import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, Message, MessageCreateParamsBase, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { ERROR_TABLE } from '../../src/core/index.js';
import type { ClientReply, Ingress, NeutralMessage, NeutralRequest } from './conformance-types.js';

const DEFAULT_MAX_TOKENS = 1024;

function toMessage(message: NeutralMessage): MessageParam {
  if (message.role === 'user') {
    const content: ContentBlockParam[] = [];
    if (message.image) {
      const mediaType = message.image.mediaType as 'image/png';
      content.push({ type: 'image', source: { type: 'base64', media_type: mediaType, data: message.image.data } });
    }
    content.push({ type: 'text', text: message.text });
    return { role: 'user', content };
  }
  if (message.role === 'assistant') {
    return {
      role: 'assistant',
      content: message.toolCalls.map((call) => ({ type: 'tool_use' as const, id: call.id ?? '', name: call.name, input: call.args })),
    };
  }
  const content: ContentBlockParam[] = message.results.map((result) => ({
    type: 'tool_result' as const,
    tool_use_id: result.id,
    content: result.content,
  }));
  if (message.followUp !== undefined) content.push({ type: 'text', text: message.followUp });
  return { role: 'user', content };
}

function toParams(model: string, request: NeutralRequest): MessageCreateParamsBase {
  const params: MessageCreateParamsBase = {
    model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: request.messages.map(toMessage),
  };
  if (request.system !== undefined) params.system = request.system;
  if (request.tools) {
    params.tools = request.tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: { type: 'object' as const, ...tool.parameters },
    }));
  }
  if (request.jsonSchema) params.output_config = { format: { type: 'json_schema', schema: request.jsonSchema.schema } };
  return params;
}

function toReply(message: Message): ClientReply {
  let text = '';
  const toolCalls: ClientReply['toolCalls'] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, args: block.input as Record<string, unknown> });
  }
  const usage = message.usage;
  return {
    text,
    toolCalls,
    finish: message.stop_reason ?? undefined,
    usage: {
      input: usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
      output: usage.output_tokens,
      cacheRead: usage.cache_read_input_tokens ?? undefined,
    },
  };
}

async function send(gatewayUrl: string, model: string, request: NeutralRequest, seen: string[]): Promise<ClientReply> {
  const client = new Anthropic({ baseURL: gatewayUrl, apiKey: 'sk-ant-client', maxRetries: 0 });
  const params = toParams(model, request);
  if (!request.stream) return toReply(await client.messages.create({ ...params, stream: false }));
  const stream = client.messages.stream(params);
  stream.on('text', (delta) => seen.push(delta));
  return toReply(await stream.finalMessage());
}

/** The official `@anthropic-ai/sdk` on `/v1/messages`. */
export const anthropicIngress: Ingress = {
  name: 'anthropic SDK',
  finishNames: { stop: 'end_turn', length: 'max_tokens', 'tool-calls': 'tool_use' },
  errorType: (code) => ERROR_TABLE[code].anthropic,
  toolCallIds: true,
  reportsReasoningTokens: false,
  send,
  describeError(error) {
    if (error instanceof Anthropic.APIError) {
      const body = error.error as { error?: { type?: string } } | undefined;
      return { status: error.status, type: body?.error?.type, message: error.message, retryAfter: error.headers?.get('retry-after') ?? null };
    }
    return { status: undefined, type: undefined, message: String(error) };
  },
  isSdkError: (error) => error instanceof Anthropic.AnthropicError,
};
