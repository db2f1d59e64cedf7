import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/index.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...extra };
}

describe('parseOpenAIChatRequest', () => {
  it('converts the recorded tool round-trip request into canonical messages with tool names filled in', () => {
    const body = fixture('openai-request-tool-roundtrip.json');
    const request = parseOpenAIChatRequest(body);
    const expected: Message[] = [
      {
        role: 'user',
        content: [{ type: 'text', text: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?" }],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4',
            name: 'weather',
            arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
          },
          { type: 'tool-call', callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ', name: 'best_language_to_learn', arguments: '{}' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4',
            name: 'weather',
            content: [{ type: 'text', text: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' }],
          },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ',
            name: 'best_language_to_learn',
            content: [{ type: 'text', text: 'Ruby' }],
          },
        ],
      },
    ];
    expect(request.messages).toEqual(expected);
    expect(request.model).toBe('gpt-4.1-nano');
    expect(request.stream).toBe(false);
    expect(request.tools?.map((tool) => tool.name)).toEqual(['weather', 'best_language_to_learn']);
    expect(request.tools?.[0]?.description).toBe('Gets current weather for a location');
    expect(request.tools?.[0]?.parameters).toMatchObject({ type: 'object', required: ['latitude', 'longitude'] });
    expect(request.passthrough).toEqual({ format: 'openai-chat', body });
    expect(request.providerOptions).toBeUndefined();
  });

  it('maps developer to a system message flagged developer and keeps system position', () => {
    const request = parseOpenAIChatRequest({
      model: 'm',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'be brief' }] },
        { role: 'user', content: 'hi' },
        { role: 'system', content: 'late system' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'be brief' }], developer: true },
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'system', content: [{ type: 'text', text: 'late system' }] },
    ]);
  });

  it('decodes data-URL images to base64 sources and keeps https URLs and detail', () => {
    const request = parseOpenAIChatRequest(
      minimal({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
              { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      }),
    );
    expect(request.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'iVBORw0KGgo=' }, detail: 'low' },
        { type: 'image', source: { kind: 'url', url: 'https://example.com/cat.jpg' } },
      ],
    });
  });

  it('turns assistant reasoning_content into a reasoning part and ignores refusal', () => {
    const request = parseOpenAIChatRequest(
      minimal({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: 'a', reasoning_content: 'thinking', refusal: null },
          { role: 'assistant', content: null, refusal: 'no' },
          { role: 'assistant', content: [{ type: 'text', text: 'x' }, { type: 'refusal', refusal: 'r' }] },
        ],
      }),
    );
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'reasoning', text: 'thinking' }, { type: 'text', text: 'a' }] },
      { role: 'assistant', content: [] },
      { role: 'assistant', content: [{ type: 'text', text: 'x' }] },
    ]);
  });

  it('maps sampling, limits, stop, response format, tool choice and stream options', () => {
    const request = parseOpenAIChatRequest(
      minimal({
        tools: [{ type: 'function', function: { name: 'lookup' } }],
        tool_choice: { type: 'function', function: { name: 'lookup' } },
        parallel_tool_calls: false,
        response_format: { type: 'json_schema', json_schema: { name: 'out', strict: true } },
        max_completion_tokens: 100,
        max_tokens: 50,
        temperature: 0.5,
        top_p: 0.9,
        frequency_penalty: 0.1,
        presence_penalty: -0.1,
        seed: 7,
        stop: 'END',
        user: 'u-1',
        metadata: { team: 'a' },
        reasoning_effort: 'low',
        n: 1,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(request).toMatchObject({
      tools: [{ name: 'lookup', parameters: { type: 'object', properties: {} } }],
      toolChoice: { type: 'tool', name: 'lookup' },
      parallelToolCalls: false,
      responseFormat: { type: 'json-schema', name: 'out', schema: {}, strict: true },
      maxOutputTokens: 100,
      temperature: 0.5,
      topP: 0.9,
      frequencyPenalty: 0.1,
      presencePenalty: -0.1,
      seed: 7,
      stop: ['END'],
      user: 'u-1',
      metadata: { team: 'a' },
      reasoning: { effort: 'low' },
      stream: true,
      includeUsage: true,
    });
  });

  it('falls back to max_tokens, maps json_object, and treats null fields as not sent', () => {
    const request = parseOpenAIChatRequest(
      minimal({ max_tokens: 64, response_format: { type: 'json_object' }, temperature: null, stop: null, tools: null }),
    );
    expect(request.maxOutputTokens).toBe(64);
    expect(request.responseFormat).toEqual({ type: 'json' });
    expect('temperature' in request).toBe(false);
    expect('stop' in request).toBe(false);
    expect('tools' in request).toBe(false);
  });

  it('maps reasoning_effort none to disabled reasoning', () => {
    expect(parseOpenAIChatRequest(minimal({ reasoning_effort: 'none' })).reasoning).toEqual({ enabled: false });
  });

  it('keeps unmapped top-level fields as OpenAI provider options', () => {
    const request = parseOpenAIChatRequest(
      minimal({ logprobs: true, logit_bias: { '50256': -100 }, service_tier: 'flex', enable_thinking: true, store: null }),
    );
    expect(request.providerOptions).toEqual({
      openai: { logprobs: true, logit_bias: { '50256': -100 }, service_tier: 'flex', enable_thinking: true },
    });
  });
});
