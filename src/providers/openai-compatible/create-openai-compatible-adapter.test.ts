import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Message, ProviderType, Target } from '../../core/index.js';
import { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
import type { OpenAIFamilyType } from '../../core/index.js';
import { toMistralToolCallId } from './to-mistral-tool-call-id.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

function target(type: OpenAIFamilyType, model = 'm', apiKey: string | null = 'sk-test'): Target {
  const provider = { id: `${type}-1`, type, baseUrl: 'https://x', headers: { 'x-extra': '1' }, options: {} };
  return { provider: apiKey === null ? provider : { ...provider, apiKey }, model };
}

function bodyOf(type: OpenAIFamilyType, request: CanonicalRequest, model = 'm'): Record<string, unknown> {
  return JSON.parse(upstreamBodyText(createOpenAICompatibleAdapter(type).toUpstream(request, target(type, model)).body)) as Record<string, unknown>;
}

const roundtripFixture = JSON.parse(
  readFileSync(new URL('../../wire/openai-chat/__fixtures__/openai-request-tool-roundtrip.json', import.meta.url), 'utf8'),
) as { messages: unknown[]; tools: Array<{ function: { name: string; description: string; parameters: Record<string, unknown> } }> };

const toolRoundTrip: Message[] = [
  { role: 'user', content: [{ type: 'text', text: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?" }] },
  {
    role: 'assistant',
    content: [
      { type: 'tool-call', callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4', name: 'weather', arguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
      { type: 'tool-call', callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ', name: 'best_language_to_learn', arguments: '{}' },
    ],
  },
  {
    role: 'tool',
    content: [
      { type: 'tool-result', callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4', content: [{ type: 'text', text: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' }] },
      { type: 'tool-result', callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ', content: [{ type: 'text', text: 'Ruby' }] },
    ],
  },
];

const roundTripRequest: CanonicalRequest = {
  model: 'smart',
  messages: toolRoundTrip,
  tools: roundtripFixture.tools.map((tool) => ({ ...tool.function })),
  stream: false,
};

describe('toUpstream', () => {
  it('builds the recorded OpenAI tool round-trip body', () => {
    const upstream = createOpenAICompatibleAdapter('openai').toUpstream(roundTripRequest, target('openai', 'gpt-4.1-nano'));
    expect(upstream.path).toBe('/chat/completions');
    expect(upstream.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer sk-test', 'x-extra': '1' });
    expect(JSON.parse(upstreamBodyText(upstream.body))).toEqual(roundtripFixture);
    expect(upstream.warnings).toEqual([]);
  });

  it('sends no authorization header when the provider has no key', () => {
    const adapter = createOpenAICompatibleAdapter('openai-compatible');
    const upstream = adapter.toUpstream(roundTripRequest, target('openai-compatible', 'local', null));
    expect(upstream.headers.authorization).toBeUndefined();
  });

  it('translates parameters, system roles, images and always asks for stream usage', () => {
    const request: CanonicalRequest = {
      model: 'smart',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }], developer: true },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
            { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
      toolChoice: { type: 'auto' },
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true },
      maxOutputTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      frequencyPenalty: 0.1,
      presencePenalty: 0.3,
      seed: 7,
      stop: ['END'],
      user: 'u-1',
      metadata: { team: 'a' },
      reasoning: { effort: 'low' },
      stream: true,
      includeUsage: false,
      providerOptions: { openai: { service_tier: 'flex', model: 'other' } },
    };
    const upstream = createOpenAICompatibleAdapter('openai').toUpstream(request, target('openai', 'o4-mini'));
    expect(JSON.parse(upstreamBodyText(upstream.body))).toEqual({
      model: 'o4-mini',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      seed: 7,
      stop: ['END'],
      user: 'u-1',
      metadata: { team: 'a' },
      reasoning_effort: 'low',
      service_tier: 'flex',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(upstream.warnings.map((w) => w.param)).toEqual(['providerOptions.openai.model']);
  });

  it('uses max_tokens, system role and warnings for what other vendors cannot take', () => {
    const request: CanonicalRequest = {
      model: 'smart',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Sys' }], developer: true },
        { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'hmm' }, { type: 'reasoning', text: '', redactedData: 'xyz' }, { type: 'text', text: 'Hello' }] },
        {
          role: 'tool',
          content: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: 'ok' }, { type: 'image', source: { kind: 'url', url: 'https://i' } }] }],
        },
      ],
      maxOutputTokens: 50,
      topK: 40,
      metadata: { a: 'b' },
      reasoning: { effort: 'high' },
      responseFormat: { type: 'json' },
      stream: false,
      providerOptions: { anthropic: { thinking: { type: 'enabled' } } },
    };
    const upstream = createOpenAICompatibleAdapter('groq').toUpstream(request, target('groq'));
    const body = JSON.parse(upstreamBodyText(upstream.body)) as Record<string, unknown>;
    expect(body).toMatchObject({ max_tokens: 50, response_format: { type: 'json_object' }, reasoning_effort: 'high', stream: false });
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('top_k');
    expect(body).not.toHaveProperty('metadata');
    expect(body).not.toHaveProperty('stream_options');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Sys' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ]);
    expect(upstream.warnings.map((w) => w.param)).toEqual([
      'messages[2].content[0]',
      'messages[3].content[0].content[1]',
      'topK',
      'metadata',
      'providerOptions.anthropic',
    ]);
    expect(upstream.warnings.every((w) => w.code === 'parameter_dropped')).toBe(true);
  });

  it('replays DeepSeek reasoning as reasoning_content on the assistant turn', () => {
    const body = bodyOf('deepseek', {
      model: 'r',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: 'Need the tool.' },
            { type: 'tool-call', callId: 'call_00_abc', name: 'weather', arguments: '{}' },
          ],
        },
      ],
      stream: true,
    });
    expect((body.messages as unknown[])[1]).toEqual({
      role: 'assistant',
      tool_calls: [{ id: 'call_00_abc', type: 'function', function: { name: 'weather', arguments: '{}' } }],
      reasoning_content: 'Need the tool.',
    });
    expect(body.stream_options).toEqual({ include_usage: true });
  });
});

describe('toUpstream vendor quirks', () => {
  it('maps Mistral tool-call ids to 9 alphanumerics consistently in calls and results', () => {
    const body = bodyOf('mistral', { ...roundTripRequest, toolChoice: { type: 'required' }, seed: 3, user: 'u', stream: true });
    const messages = body.messages as Array<Record<string, unknown>>;
    const calls = messages[1]?.tool_calls as Array<{ id: string }>;
    expect(calls.map((c) => c.id)).toEqual(['call_4vdw7IhqK4BaPeDpUqhAJrH4', 'call_UZxiYeSq6gFg9tAHAdSmNHPQ'].map(toMistralToolCallId));
    for (const call of calls) expect(call.id).toMatch(/^[a-zA-Z0-9]{9}$/);
    expect(messages[2]?.tool_call_id).toBe(calls[0]?.id);
    expect(messages[3]?.tool_call_id).toBe(calls[1]?.id);
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
    expect(body).toMatchObject({ tool_choice: 'any', random_seed: 3 });
    expect(body).not.toHaveProperty('user');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('keeps ids that already fit Mistral and hashes others deterministically', () => {
    expect(toMistralToolCallId('wyFNfgjhN')).toBe('wyFNfgjhN');
    expect(toMistralToolCallId('toolu_01ABC')).toBe(toMistralToolCallId('toolu_01ABC'));
    expect(toMistralToolCallId('toolu_01ABC')).toMatch(/^[a-zA-Z0-9]{9}$/);
  });

  it('narrows Mistral tools to a named tool choice and sends "any"', () => {
    const body = bodyOf('mistral', { ...roundTripRequest, toolChoice: { type: 'tool', name: 'weather' } });
    expect(body.tool_choice).toBe('any');
    expect((body.tools as Array<{ function: { name: string } }>).map((t) => t.function.name)).toEqual(['weather']);
    const openai = bodyOf('openai', { ...roundTripRequest, toolChoice: { type: 'tool', name: 'weather' } });
    expect(openai.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
  });

  it('switches Qwen thinking off on non-streaming calls', () => {
    const body = bodyOf('qwen', { model: 'q', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], stream: false });
    expect(body.enable_thinking).toBe(false);
  });

  it('refuses Qwen reasoning without streaming and enables it when streaming', () => {
    const request: CanonicalRequest = {
      model: 'q',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      reasoning: { enabled: true, budgetTokens: 512 },
      stream: false,
    };
    const adapter = createOpenAICompatibleAdapter('qwen');
    expect(() => adapter.toUpstream(request, target('qwen'))).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param: 'reasoning' }),
    );
    expect(bodyOf('qwen', { ...request, stream: true })).toMatchObject({ enable_thinking: true, thinking_budget: 512 });
  });

  it('warns that DeepSeek decides on reasoning itself and has no JSON schema mode', () => {
    const upstream = createOpenAICompatibleAdapter('deepseek').toUpstream(
      {
        model: 'd',
        messages: [],
        reasoning: { effort: 'high' },
        responseFormat: { type: 'json-schema', name: 'x', schema: {} },
        stream: false,
      },
      target('deepseek'),
    );
    expect(JSON.parse(upstreamBodyText(upstream.body))).toMatchObject({ response_format: { type: 'json_object' } });
    expect(upstream.warnings).toMatchObject([
      { code: 'parameter_translated', param: 'responseFormat' },
      { code: 'parameter_dropped', param: 'reasoning' },
    ]);
  });
});

describe('createOpenAICompatibleAdapter', () => {
  it('returns one shared adapter per type and refuses other formats', () => {
    expect(createOpenAICompatibleAdapter('groq')).toBe(createOpenAICompatibleAdapter('groq'));
    expect(createOpenAICompatibleAdapter('groq')).not.toBe(createOpenAICompatibleAdapter('openai'));
    expect(createOpenAICompatibleAdapter('openai').format).toBe('openai-chat');
    expect(() => createOpenAICompatibleAdapter('anthropic' as ProviderType)).toThrow(TypeError);
  });
});
