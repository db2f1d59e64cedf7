import Anthropic from '@anthropic-ai/sdk';
import { ApiError, GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream } from './index.js';
import type { FakeFormat, FakeUpstream, ScriptToolCall } from './index.js';

const CALLS: ScriptToolCall[] = [
  { name: 'weather', arguments: { latitude: '52.5200', longitude: '13.4050' } },
  { name: 'best_language_to_learn', arguments: {} },
];
const USAGE = { input: 14, output: 7, cacheRead: 3, reasoning: 2 };
const SDK_TIMEOUT_MS = 5_000;

let fakes: FakeUpstream[] = [];

async function start(format: FakeFormat): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(format);
  fakes.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

function openAiClient(fake: FakeUpstream): OpenAI {
  return new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'test', maxRetries: 0, timeout: SDK_TIMEOUT_MS });
}

function anthropicClient(fake: FakeUpstream): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey: 'test', maxRetries: 0, timeout: SDK_TIMEOUT_MS });
}

function geminiClient(fake: FakeUpstream): GoogleGenAI {
  return new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: fake.url, timeout: SDK_TIMEOUT_MS } });
}

describe('openai fake, read by the official openai SDK', () => {
  const messages = [{ role: 'user' as const, content: 'Count to three' }];

  it('answers a plain request with a chat.completion echoing the model', async () => {
    const fake = await start('openai');
    fake.enqueue({ kind: 'text', text: '2 + 2 equals 4.', usage: USAGE });
    const completion = await openAiClient(fake).chat.completions.create({ model: 'gpt-4o-mini', messages });
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.choices[0]?.message.content).toBe('2 + 2 equals 4.');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 17, completion_tokens: 9, total_tokens: 26 });
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(3);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', closedEarly: false });
  });

  it('streams one delta per chunk and a choices:[] usage chunk only when include_usage is set', async () => {
    const fake = await start('openai');
    fake.enqueue({ kind: 'text', text: ['1', ', ', '2'], usage: USAGE }, { kind: 'text', text: 'a b' });
    const client = openAiClient(fake);
    const withUsage = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', '1', ', ', '2', undefined, undefined]);
    expect(chunks[4]?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks[5]?.choices).toEqual([]);
    expect(chunks[5]?.usage?.completion_tokens).toBe(9);
    expect(chunks[0]?.usage).toBeNull();

    const withoutUsage = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
    const plain = [];
    for await (const chunk of withoutUsage) plain.push(chunk);
    expect(plain.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('a b');
    expect(plain.every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('streams parallel tool calls that the SDK accumulates into complete calls', async () => {
    const fake = await start('openai');
    fake.enqueue({ kind: 'tool-calls', calls: CALLS, argumentChunks: 3 });
    const stream = openAiClient(fake).chat.completions.stream({ model: 'gpt-4o', messages });
    const completion = await stream.finalChatCompletion();
    const calls = completion.choices[0]?.message.tool_calls ?? [];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const decoded = calls.map((call) =>
      call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : [],
    );
    expect(decoded).toEqual([
      ['weather', CALLS[0]?.arguments],
      ['best_language_to_learn', {}],
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
  });

  it('answers an error script with the recorded 429 body that the SDK maps to RateLimitError', async () => {
    const fake = await start('openai');
    fake.enqueue({ kind: 'error', status: 429 });
    const failure = openAiClient(fake).chat.completions.create({ model: 'gpt-4o', messages });
    await expect(failure).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(failure).rejects.toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'tokens' });
  });

  it('sends an in-band error after some deltas that the SDK throws', async () => {
    const fake = await start('openai');
    fake.enqueue({ kind: 'error-after-start', chunksBefore: 2, text: 'one two three four' });
    const stream = await openAiClient(fake).chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(consume()).rejects.toMatchObject({ error: { type: 'server_error' } });
    expect(seen).toEqual(['', 'one', ' two']);
  });
});

describe('anthropic fake, read by the official @anthropic-ai/sdk', () => {
  const request = { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hi' }] };

  it('answers a plain request with a message echoing the model', async () => {
    const fake = await start('anthropic');
    fake.enqueue({ kind: 'text', text: '2 + 2 = 4', usage: { input: 16, output: 13, cacheWrite: 5 } });
    const message = await anthropicClient(fake).messages.create(request);
    expect(message.model).toBe('claude-haiku-4-5');
    expect(message.content).toEqual([{ type: 'text', text: '2 + 2 = 4' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 16, output_tokens: 13, cache_creation_input_tokens: 5 });
    expect(fake.requests[0]?.path).toBe('/v1/messages');
  });

  it('streams text with thinking that the SDK assembles into the final message', async () => {
    const fake = await start('anthropic');
    fake.enqueue({ kind: 'text', text: ['1\n', '2\n', '3'], reasoning: 'counting', finish: 'length', usage: USAGE });
    const stream = anthropicClient(fake).messages.stream(request);
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toEqual(['1\n', '2\n', '3']);
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toMatchObject({ input_tokens: 14, output_tokens: 9, cache_read_input_tokens: 3 });
  });

  it('streams parallel tool_use blocks after a text block with input_json_delta fragments', async () => {
    const fake = await start('anthropic');
    fake.enqueue({ kind: 'tool-calls', calls: CALLS, text: 'Let me check.', argumentChunks: 5 });
    const message = await anthropicClient(fake).messages.stream(request).finalMessage();
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toEqual({ type: 'text', text: 'Let me check.' });
    const toolUses = message.content.filter((block) => block.type === 'tool_use');
    expect(toolUses.map((block) => [block.name, block.input])).toEqual([
      ['weather', CALLS[0]?.arguments],
      ['best_language_to_learn', {}],
    ]);
  });

  it('answers a 529 with the overloaded_error body', async () => {
    const fake = await start('anthropic');
    fake.enqueue({ kind: 'error', status: 529 });
    const failure = anthropicClient(fake).messages.create(request);
    await expect(failure).rejects.toBeInstanceOf(Anthropic.APIError);
    await expect(failure).rejects.toMatchObject({ status: 529, error: { error: { type: 'overloaded_error' } } });
  });

  it('sends event: error after some deltas that the SDK throws', async () => {
    const fake = await start('anthropic');
    fake.enqueue({ kind: 'error-after-start', chunksBefore: 1, text: 'one two' });
    const stream = anthropicClient(fake).messages.stream(request);
    await expect(stream.finalMessage()).rejects.toMatchObject({ error: { error: { type: 'overloaded_error' } } });
  });
});

describe('gemini fake, read by the official @google/genai SDK', () => {
  it('answers generateContent with the model from the URL path', async () => {
    const fake = await start('gemini');
    fake.enqueue({ kind: 'text', text: '2 + 2 = **4**', usage: USAGE });
    const response = await geminiClient(fake).models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    expect(response.text).toBe('2 + 2 = **4**');
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 17, candidatesTokenCount: 7, thoughtsTokenCount: 2 });
    expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('streams text events over alt=sse, the last one carrying finishReason', async () => {
    const fake = await start('gemini');
    fake.enqueue({ kind: 'text', text: ['Let', "'s", ' count'] });
    const stream = await geminiClient(fake).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
    const events = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.text)).toEqual(['Let', "'s", ' count']);
    expect(events.map((event) => event.candidates?.[0]?.finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(fake.requests[0]?.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('streams parallel function calls as whole parts', async () => {
    const fake = await start('gemini');
    fake.enqueue({ kind: 'tool-calls', calls: CALLS });
    const stream = await geminiClient(fake).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
    const calls = [];
    for await (const event of stream) calls.push(...(event.functionCalls ?? []));
    expect(calls.map((call) => [call.name, call.args])).toEqual([
      ['weather', CALLS[0]?.arguments],
      ['best_language_to_learn', {}],
    ]);
  });

  it('answers a 429 with the recorded RESOURCE_EXHAUSTED body', async () => {
    const fake = await start('gemini');
    fake.enqueue({ kind: 'error', status: 429 });
    const failure = geminiClient(fake).models.generateContent({ model: 'gemini-2.5-flash', contents: 'Hi' });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 429, message: expect.stringContaining('RESOURCE_EXHAUSTED') });
  });

  it('sends an in-band error chunk after some events that the SDK throws', async () => {
    const fake = await start('gemini');
    fake.enqueue({ kind: 'error-after-start', chunksBefore: 1, text: 'one two' });
    const stream = await geminiClient(fake).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'Hi' });
    const consume = async (): Promise<void> => {
      for await (const event of stream) expect(event.text).toBe('one');
    };
    await expect(consume()).rejects.toMatchObject({ status: 503 });
  });
});
