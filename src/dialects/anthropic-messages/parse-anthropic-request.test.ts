import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import type { ParseContext } from '../dialect.js';
import { parseAnthropicRequest, parseCountTokensRequest, renderCountTokens } from './parse-anthropic-request.js';

const roundtrip: unknown = JSON.parse(
  readFileSync(new URL('../../wire/anthropic-messages/__fixtures__/anthropic-request-tool-roundtrip.json', import.meta.url), 'utf8'),
);

const v2023: ParseContext = { headers: { 'anthropic-version': '2023-06-01' }, params: {} };
const v2026: ParseContext = { headers: { 'anthropic-version': '2026-10-21' }, params: {} };

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }], ...extra };
}

function failure(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('parseAnthropicRequest: recorded tool round trip', () => {
  it('turns tool_use into tool calls and the tool_result turn into one tool message with names filled', () => {
    const request = parseAnthropicRequest(roundtrip, v2023);
    expect(request.model).toBe('claude-haiku-4-5-20251001');
    expect(request.maxOutputTokens).toBe(64000);
    expect(request.stream).toBe(false);
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [{ type: 'text', text: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?" }],
      },
      {
        role: 'assistant',
        content: [
          {
            type: 'tool-call',
            callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n',
            name: 'weather',
            arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
          },
          { type: 'tool-call', callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY', name: 'best_language_to_learn', arguments: '{}' },
        ],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n',
            name: 'weather',
            content: [{ type: 'text', text: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' }],
          },
          {
            type: 'tool-result',
            callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY',
            name: 'best_language_to_learn',
            content: [{ type: 'text', text: 'Ruby' }],
          },
        ],
      },
    ]);
    expect(request.tools?.map((tool) => tool.name)).toEqual(['weather', 'best_language_to_learn']);
    expect(request.tools?.[0]?.parameters).toMatchObject({ type: 'object', required: ['latitude', 'longitude'] });
    expect(request.passthrough).toEqual({ format: 'anthropic-messages', body: roundtrip });
    expect(request.providerOptions).toBeUndefined();
  });

  it('places tool results before the rest of the user turn, whatever their order in it', () => {
    const request = parseAnthropicRequest(
      base({
        messages: [
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'and also', cache_control: { type: 'ephemeral' } },
              { type: 'tool_result', tool_use_id: 't1', content: 'done', is_error: true },
            ],
          },
        ],
      }),
      v2023,
    );
    expect(request.messages.slice(1)).toEqual([
      { role: 'tool', content: [{ type: 'tool-result', callId: 't1', name: 'f', isError: true, content: [{ type: 'text', text: 'done' }] }] },
      { role: 'user', content: [{ type: 'text', text: 'and also', cacheControl: { type: 'ephemeral' } }] },
    ]);
  });
});

describe('parseAnthropicRequest: system prompts and API versions', () => {
  it('puts the top-level system first, keeping cache_control', () => {
    const request = parseAnthropicRequest(
      base({ system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral', ttl: '1h' } }] }),
      v2023,
    );
    expect(request.messages[0]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'be brief', cacheControl: { type: 'ephemeral', ttl: '1h' } }],
    });
  });

  it.each([
    ['2026-10-21', v2026],
    ['2023-06-01 (Claude Code sends them under this version)', v2023],
  ])('accepts role:system entries in place under %s', (_version, context) => {
    const request = parseAnthropicRequest(
      base({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'system', content: 'switch to French' },
          { role: 'user', content: 'bonjour' },
        ],
      }),
      context,
    );
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'system', 'user']);
    expect(request.messages[1]).toEqual({ role: 'system', content: [{ type: 'text', text: 'switch to French' }] });
  });

  it('requires max_tokens under 2023-06-01 (also when no version header is sent) but not under 2026-10-21', () => {
    const body = { model: 'claude', messages: [{ role: 'user', content: 'hi' }] };
    expect(failure(() => parseAnthropicRequest(body, v2023)).param).toBe('max_tokens');
    expect(failure(() => parseAnthropicRequest(body, { headers: {}, params: {} })).param).toBe('max_tokens');
    expect(parseAnthropicRequest(body, v2026).maxOutputTokens).toBeUndefined();
  });
});

describe('parseAnthropicRequest: parameters', () => {
  it('maps sampling, stop, thinking, structured output, user and tool choice', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const request = parseAnthropicRequest(
      base({
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        thinking: { type: 'enabled', budget_tokens: 2048 },
        output_config: { format: { type: 'json_schema', schema } },
        metadata: { user_id: 'u-1' },
        tools: [{ name: 'f', input_schema: { type: 'object' } }],
        tool_choice: { type: 'any', disable_parallel_tool_use: true },
        stream: true,
      }),
      v2023,
    );
    expect(request).toMatchObject({
      temperature: 0.5,
      topP: 0.9,
      topK: 40,
      stop: ['END'],
      reasoning: { enabled: true, budgetTokens: 2048 },
      responseFormat: { type: 'json-schema', name: 'output', schema },
      user: 'u-1',
      toolChoice: { type: 'required' },
      parallelToolCalls: false,
      stream: true,
    });
  });

  it('maps the legacy output_format and the other tool choices', () => {
    const schema = { type: 'object' };
    expect(parseAnthropicRequest(base({ output_format: { type: 'json_schema', schema } }), v2023).responseFormat).toEqual({
      type: 'json-schema',
      name: 'output',
      schema,
    });
    expect(parseAnthropicRequest(base({ tool_choice: { type: 'tool', name: 'f' } }), v2023).toolChoice).toEqual({ type: 'tool', name: 'f' });
    expect(parseAnthropicRequest(base({ tool_choice: { type: 'none' } }), v2023).toolChoice).toEqual({ type: 'none' });
    expect(parseAnthropicRequest(base({ tool_choice: { type: 'auto' } }), v2023).toolChoice).toEqual({ type: 'auto' });
  });

  it('keeps server tools and unknown top-level fields in providerOptions.anthropic', () => {
    const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
    const request = parseAnthropicRequest(
      base({
        tools: [webSearch, { name: 'f', input_schema: { type: 'object' } }],
        service_tier: 'auto',
        container: 'c-1',
        thinking: { type: 'adaptive' },
      }),
      v2026,
    );
    expect(request.tools?.map((tool) => tool.name)).toEqual(['f']);
    expect(request.reasoning).toEqual({ enabled: true });
    expect(request.providerOptions).toEqual({
      anthropic: { server_tools: [webSearch], service_tier: 'auto', container: 'c-1', thinking: { type: 'adaptive' } },
    });
  });

  it('converts thinking and redacted_thinking blocks into reasoning parts', () => {
    const request = parseAnthropicRequest(
      base({
        messages: [
          { role: 'user', content: 'hi' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'redacted_thinking', data: 'opaque' },
              { type: 'text', text: 'hello' },
            ],
          },
        ],
      }),
      v2023,
    );
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'hmm', signature: 'sig' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'text', text: 'hello' },
      ],
    });
  });

  it('converts base64 and url images', () => {
    const request = parseAnthropicRequest(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            ],
          },
        ],
      }),
      v2023,
    );
    expect(request.messages[0]?.content).toEqual([
      { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
      { type: 'image', source: { kind: 'url', url: 'https://example.com/a.png' } },
    ]);
  });
});

describe('parseCountTokensRequest', () => {
  it('accepts a body without max_tokens under any version and never streams', () => {
    const request = parseCountTokensRequest({ model: 'claude', system: 'x', messages: [{ role: 'user', content: 'hi' }] }, v2023);
    expect(request.stream).toBe(false);
    expect(request.maxOutputTokens).toBeUndefined();
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'user']);
    expect(renderCountTokens(12)).toEqual({ input_tokens: 12 });
  });

  it('keeps the client’s anthropic-beta header with the pass-through body', () => {
    const body = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    const request = parseAnthropicRequest(body, { headers: { 'anthropic-beta': 'context-1m-2025-08-07' }, params: {} });
    expect(request.passthrough?.headers).toEqual({ 'anthropic-beta': 'context-1m-2025-08-07' });
    expect(parseAnthropicRequest(body, { headers: {}, params: {} }).passthrough?.headers).toBeUndefined();
  });
});

describe('parseAnthropicRequest: deferred tools (tool search)', () => {
  it('keeps a defer_loading tool as an ordinary tool and reads a tool_reference result as text, never a 400', () => {
    const request = parseAnthropicRequest(
      base({
        tools: [{ name: 'mcp__notes__lookup', input_schema: { type: 'object' }, defer_loading: true }],
        messages: [
          { role: 'user', content: 'find notes' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'ToolSearch', input: { query: 'notes' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'tool_reference', tool_name: 'mcp__notes__lookup' }] }] },
        ],
      }),
      v2023,
    );
    expect(request.tools?.map((tool) => tool.name)).toEqual(['mcp__notes__lookup']);
    expect(request.messages.at(-1)).toMatchObject({
      role: 'tool',
      content: [{ type: 'tool-result', content: [{ type: 'text', text: 'Tool mcp__notes__lookup is loaded and can be called.' }] }],
    });
  });
});
