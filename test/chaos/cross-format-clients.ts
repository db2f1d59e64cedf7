import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';

/** What an Anthropic or Gemini SDK client saw for one request. */
export interface CrossOutcome {
  text: string;
  attempts: number | undefined;
  error: { status: number | undefined; message: string } | undefined;
  midStream: boolean;
}

const PROMPT = 'Tell me something.';

function describeError(error: unknown): { status: number | undefined; message: string } {
  if (error instanceof Anthropic.APIError) return { status: error.status, message: error.message };
  if (error instanceof ApiError) return { status: error.status, message: error.message };
  if (error instanceof Error) return { status: undefined, message: error.message };
  throw error;
}

function toNumber(value: string | null | undefined): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** An Anthropic SDK client on the gateway's `/v1/messages`, without SDK retries. */
export function anthropicClient(gatewayUrl: string): Anthropic {
  return new Anthropic({ baseURL: gatewayUrl, apiKey: 'chaos-client', maxRetries: 0, timeout: 8000 });
}

/** A Gemini SDK client on the gateway's `/v1beta` endpoints, without SDK retries. */
export function geminiClient(gatewayUrl: string): GoogleGenAI {
  return new GoogleGenAI({ apiKey: 'chaos-client', httpOptions: { baseUrl: gatewayUrl, timeout: 8000, retryOptions: { attempts: 1 } } });
}

/** Sends one Messages request and records what the client observed. */
export async function askAnthropic(client: Anthropic, model: string, stream: boolean): Promise<CrossOutcome> {
  const params = { model, max_tokens: 256, messages: [{ role: 'user' as const, content: PROMPT }] };
  if (!stream) {
    try {
      const { data, response } = await client.messages.create(params).withResponse();
      const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
      return { text, attempts: toNumber(response.headers.get('x-switchyard-attempts')), error: undefined, midStream: false };
    } catch (error) {
      const headers = error instanceof Anthropic.APIError ? error.headers : undefined;
      return { text: '', attempts: toNumber(headers?.get('x-switchyard-attempts')), error: describeError(error), midStream: false };
    }
  }
  let started;
  try {
    started = await client.messages.create({ ...params, stream: true }).withResponse();
  } catch (error) {
    const headers = error instanceof Anthropic.APIError ? error.headers : undefined;
    return { text: '', attempts: toNumber(headers?.get('x-switchyard-attempts')), error: describeError(error), midStream: false };
  }
  const outcome: CrossOutcome = { text: '', attempts: toNumber(started.response.headers.get('x-switchyard-attempts')), error: undefined, midStream: false };
  try {
    for await (const event of started.data) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') outcome.text += event.delta.text;
    }
  } catch (error) {
    outcome.error = describeError(error);
    outcome.midStream = true;
  }
  return outcome;
}

/** Sends one generateContent request (streaming or not) and records what the client observed. */
export async function askGemini(client: GoogleGenAI, model: string, stream: boolean): Promise<CrossOutcome> {
  const params = { model, contents: [{ role: 'user', parts: [{ text: PROMPT }] }] };
  if (!stream) {
    try {
      const response = await client.models.generateContent(params);
      return { text: response.text ?? '', attempts: toNumber(response.sdkHttpResponse?.headers?.['x-switchyard-attempts']), error: undefined, midStream: false };
    } catch (error) {
      return { text: '', attempts: undefined, error: describeError(error), midStream: false };
    }
  }
  let chunks;
  try {
    chunks = await client.models.generateContentStream(params);
  } catch (error) {
    return { text: '', attempts: undefined, error: describeError(error), midStream: false };
  }
  const outcome: CrossOutcome = { text: '', attempts: undefined, error: undefined, midStream: false };
  try {
    for await (const chunk of chunks) {
      outcome.attempts ??= toNumber(chunk.sdkHttpResponse?.headers?.['x-switchyard-attempts']);
      outcome.text += chunk.text ?? '';
    }
  } catch (error) {
    outcome.error = describeError(error);
    outcome.midStream = true;
  }
  return outcome;
}
