import { ApiError, GoogleGenAI, type Content, type GenerateContentConfig, type GenerateContentResponse, type Part } from '@google/genai';
import { ERROR_TABLE } from '../../src/core/index.js';
import type { ClientReply, Ingress, NeutralMessage, NeutralRequest } from './conformance-types.js';

/** Gemini clients carry no call ids: the gateway pairs responses with calls by name and order. */
function toContent(message: NeutralMessage): Content {
  if (message.role === 'user') {
    const parts: Part[] = [{ text: message.text }];
    if (message.image) parts.push({ inlineData: { mimeType: message.image.mediaType, data: message.image.data } });
    return { role: 'user', parts };
  }
  if (message.role === 'assistant') {
    return { role: 'model', parts: message.toolCalls.map((call) => ({ functionCall: { name: call.name, args: call.args } })) };
  }
  const parts: Part[] = message.results.map((result) => ({
    functionResponse: { name: result.name, response: { output: result.content } },
  }));
  if (message.followUp !== undefined) parts.push({ text: message.followUp });
  return { role: 'user', parts };
}

function toConfig(request: NeutralRequest): GenerateContentConfig {
  const config: GenerateContentConfig = {};
  if (request.system !== undefined) config.systemInstruction = request.system;
  if (request.tools) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
  }
  if (request.jsonSchema) {
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = request.jsonSchema.schema;
  }
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens;
  return config;
}

/** Folds responses (one, or every streamed chunk) into a reply; the last chunk's finish and usage win. */
function fold(responses: GenerateContentResponse[]): ClientReply {
  const reply: ClientReply = { text: '', toolCalls: [], finish: undefined, usage: {} };
  for (const response of responses) {
    const candidate = response.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text !== undefined && part.thought !== true) reply.text += part.text;
      if (part.functionCall) {
        reply.toolCalls.push({ name: part.functionCall.name ?? '', args: part.functionCall.args ?? {} });
      }
    }
    if (candidate?.finishReason) reply.finish = candidate.finishReason;
    const usage = response.usageMetadata;
    if (usage) {
      const reasoning = usage.thoughtsTokenCount;
      reply.usage = {
        input: usage.promptTokenCount,
        output: usage.candidatesTokenCount === undefined ? undefined : usage.candidatesTokenCount + (reasoning ?? 0),
        cacheRead: usage.cachedContentTokenCount,
        reasoning,
      };
    }
  }
  return reply;
}

async function send(gatewayUrl: string, model: string, request: NeutralRequest, seen: string[]): Promise<ClientReply> {
  const ai = new GoogleGenAI({ apiKey: 'gemini-client-key', httpOptions: { baseUrl: gatewayUrl } });
  const params = { model, contents: request.messages.map(toContent), config: toConfig(request) };
  if (!request.stream) return fold([await ai.models.generateContent(params)]);
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of await ai.models.generateContentStream(params)) {
    chunks.push(chunk);
    const text = chunk.candidates?.[0]?.content?.parts?.filter((part) => part.thought !== true).map((part) => part.text ?? '').join('');
    if (text) seen.push(text);
  }
  return fold(chunks);
}

function errorStatusName(message: string): string | undefined {
  const json = message.slice(message.indexOf('{'));
  try {
    const body = JSON.parse(json) as { error?: { status?: string } };
    return body.error?.status;
  } catch {
    return undefined;
  }
}

/** The official `@google/genai` SDK on `/v1beta/models/{model}:generateContent|streamGenerateContent`. */
export const geminiIngress: Ingress = {
  name: 'genai SDK',
  finishNames: { stop: 'STOP', length: 'MAX_TOKENS', 'tool-calls': 'STOP' },
  errorType: (code) => ERROR_TABLE[code].gemini,
  toolCallIds: false,
  reportsReasoningTokens: true,
  send,
  describeError(error) {
    if (error instanceof ApiError) return { status: error.status, type: errorStatusName(error.message), message: error.message };
    const message = error instanceof Error ? error.message : String(error);
    return { status: undefined, type: errorStatusName(message), message };
  },
  isSdkError: (error) => error instanceof ApiError || (error instanceof Error && error.message.startsWith('got status')),
};
