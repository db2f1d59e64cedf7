import OpenAI from 'openai';
import type { ResponseCreateParamsBase, ResponseInputItem, Response as OpenAIResponse } from 'openai/resources/responses/responses';
import { ERROR_TABLE } from '../../src/core/index.js';
import { describeOpenAIError } from './ingress-openai.js';
import type { ClientReply, Ingress, NeutralMessage, NeutralRequest } from './conformance-types.js';

function toItems(message: NeutralMessage): ResponseInputItem[] {
  if (message.role === 'user') {
    if (!message.image) return [{ role: 'user', content: message.text }];
    const url = `data:${message.image.mediaType};base64,${message.image.data}`;
    return [{ role: 'user', content: [{ type: 'input_text', text: message.text }, { type: 'input_image', image_url: url, detail: 'auto' }] }];
  }
  if (message.role === 'assistant') {
    return message.toolCalls.map((call) => ({ type: 'function_call', call_id: call.id ?? '', name: call.name, arguments: JSON.stringify(call.args) }));
  }
  const items: ResponseInputItem[] = message.results.map((result) => ({ type: 'function_call_output', call_id: result.id, output: result.content }));
  if (message.followUp !== undefined) items.push({ role: 'user', content: message.followUp });
  return items;
}

function toParams(model: string, request: NeutralRequest): ResponseCreateParamsBase {
  const params: ResponseCreateParamsBase = { model, input: request.messages.flatMap(toItems) };
  if (request.system !== undefined) params.instructions = request.system;
  if (request.tools) {
    params.tools = request.tools.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false }));
  }
  if (request.jsonSchema) {
    params.text = { format: { type: 'json_schema', name: request.jsonSchema.name, schema: request.jsonSchema.schema, strict: true } };
  }
  if (request.maxTokens !== undefined) params.max_output_tokens = request.maxTokens;
  return params;
}

function toReply(response: OpenAIResponse): ClientReply {
  const toolCalls = response.output.flatMap((item) =>
    item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) as Record<string, unknown> }] : [],
  );
  return {
    text: response.output_text,
    toolCalls,
    finish: response.status === 'incomplete' ? response.incomplete_details?.reason : response.status,
    usage: {
      input: response.usage?.input_tokens,
      output: response.usage?.output_tokens,
      cacheRead: response.usage?.input_tokens_details.cached_tokens,
      reasoning: response.usage?.output_tokens_details.reasoning_tokens,
    },
  };
}

async function send(gatewayUrl: string, model: string, request: NeutralRequest, seen: string[]): Promise<ClientReply> {
  const client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  const params = toParams(model, request);
  if (!request.stream) return toReply(await client.responses.create({ ...params, stream: false }));
  const stream = client.responses.stream({ ...params, stream: true });
  stream.on('response.output_text.delta', (event) => seen.push(event.delta));
  return toReply(await stream.finalResponse());
}

/** The official `openai` SDK on `/v1/responses` (the Responses API). */
export const responsesIngress: Ingress = {
  name: 'openai SDK (responses)',
  // A Responses client reads `status`; a call for tools is a completed response whose output holds function calls.
  finishNames: { stop: 'completed', length: 'max_output_tokens', 'tool-calls': 'completed' },
  errorType: (code) => ERROR_TABLE[code].openai,
  toolCallIds: true,
  reportsReasoningTokens: true,
  send,
  describeError: describeOpenAIError,
  isSdkError: (error) => error instanceof OpenAI.OpenAIError,
};
