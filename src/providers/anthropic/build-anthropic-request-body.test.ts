import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnthropicSettings, CanonicalRequest, Message, Target } from '../../core/index.js';
import { lookupModel } from '../../catalog/index.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

function targetFor(model: string, settings: Partial<AnthropicSettings> = {}): Target {
  return {
    provider: { id: 'claude', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, options: {}, ...settings },
    model,
    // What routing would put on the target: the catalogue entry (these tests use no config overrides).
    info: lookupModel('anthropic-messages', model),
  };
}

const hello: Message[] = [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }];

function request(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'smart', messages: hello, stream: false, maxOutputTokens: 100, ...overrides };
}

function upstream(req: CanonicalRequest, target = targetFor('claude-haiku-4-5')) {
  const out = anthropicAdapter.toUpstream(req, target);
  return { ...out, json: JSON.parse(upstreamBodyText(out.body)) as Record<string, unknown> };
}

function schemaOf(properties: Record<string, unknown>, required: string[]) {
  return { type: 'object', properties, required, additionalProperties: false, strict: true };
}

describe('Anthropic toUpstream', () => {
  it('sends the user as metadata.user_id and warns that free-form metadata is dropped', () => {
    const out = upstream(request({ user: 'u-42', metadata: { team: 'search' } }));
    expect(out.json.metadata).toEqual({ user_id: 'u-42' });
    expect(out.warnings).toContainEqual(expect.objectContaining({ code: 'parameter_dropped', param: 'metadata' }));
  });

  it('turns an OpenAI-style tool round trip into exactly the recorded Anthropic request', () => {
    const recorded: unknown = JSON.parse(
      readFileSync(new URL('../../wire/anthropic-messages/__fixtures__/anthropic-request-tool-roundtrip.json', import.meta.url), 'utf8'),
    );
    const req: CanonicalRequest = {
      model: 'smart',
      stream: false,
      maxOutputTokens: 64000,
      messages: [
        { role: 'user', content: [{ type: 'text', text: "What's the weather in Berlin (52.5200, 13.4050) and what's the best language to learn?" }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool-call', callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n', name: 'weather', arguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
            { type: 'tool-call', callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY', name: 'best_language_to_learn', arguments: '{}' },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n', content: [{ type: 'text', text: 'Current weather at 52.5200, 13.4050: 15°C, Wind: 10 km/h' }] }] },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY', content: [{ type: 'text', text: 'Ruby' }] }] },
      ],
      tools: [
        {
          name: 'weather',
          description: 'Gets current weather for a location',
          parameters: schemaOf(
            { latitude: { type: 'string', description: 'Latitude (e.g., 52.5200)' }, longitude: { type: 'string', description: 'Longitude (e.g., 13.4050)' } },
            ['latitude', 'longitude'],
          ),
        },
        { name: 'best_language_to_learn', description: 'Gets the best language to learn', parameters: schemaOf({}, []) },
      ],
    };
    const out = upstream(req, targetFor('claude-haiku-4-5-20251001', { apiKey: 'sk-ant-test', headers: { 'anthropic-beta': 'x' } }));
    expect(out.json).toEqual(recorded);
    expect(out.warnings).toEqual([]);
    expect(out.path).toBe('/v1/messages');
    expect(out.headers).toEqual({
      'x-api-key': 'sk-ant-test',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'anthropic-beta': 'x',
    });
  });

  it('puts tool results first in the user turn, before the user text that follows', () => {
    const out = upstream(
      request({
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'Be brief.', cacheControl: { type: 'ephemeral' } }] },
          { role: 'assistant', content: [{ type: 'tool-call', callId: 'c1', name: 'f', arguments: '' }] },
          { role: 'user', content: [{ type: 'text', text: 'And then?' }] },
          { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', content: [], isError: true }] },
        ],
      }),
    );
    expect(out.json.system).toEqual([{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }]);
    expect(out.json.messages).toEqual([
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'c1', is_error: true }, { type: 'text', text: 'And then?' }] },
    ]);
  });

  it('sends images and replays only signed reasoning', () => {
    const out = upstream(
      request({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image', source: { kind: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              { type: 'image', source: { kind: 'url', url: 'https://example.com/a.jpg' } },
            ],
          },
          {
            role: 'assistant',
            content: [
              { type: 'reasoning', text: 'unsigned, from another provider' },
              { type: 'reasoning', text: 'signed', signature: 'sig' },
              { type: 'reasoning', text: '', redactedData: 'opaque' },
              { type: 'text', text: 'Two images.' },
            ],
          },
        ],
      }),
    );
    expect(out.json.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/a.jpg' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'signed', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'Two images.' },
        ],
      },
    ]);
  });

  it('rejects tool-call arguments that are not a JSON object, naming the message path', () => {
    const req = request({ messages: [...hello, { role: 'assistant', content: [{ type: 'tool-call', callId: 'c', name: 'f', arguments: '{oops' }] }] });
    expect(() => upstream(req)).toThrow(expect.objectContaining({ code: 'invalid_request', param: 'messages[1].content[0].arguments' }));
  });

  it('defaults max_tokens from the catalogue, or 4096 for unknown models, with a warning', () => {
    const known = upstream(request({ maxOutputTokens: undefined }), targetFor('claude-sonnet-4-5-20250929'));
    expect(known.json.max_tokens).toBe(64000);
    expect(known.warnings).toEqual([expect.objectContaining({ code: 'parameter_defaulted', param: 'max_tokens' })]);
    const unknown = upstream(request({ maxOutputTokens: undefined }), targetFor('claude-next'));
    expect(unknown.json.max_tokens).toBe(4096);
  });

  it('sends temperature 0–1 under 2023-06-01 and rejects anything above without clamping', () => {
    expect(upstream(request({ temperature: 0.7, topP: 0.9, topK: 40 })).json).toMatchObject({ temperature: 0.7, top_p: 0.9, top_k: 40 });
    expect(() => upstream(request({ temperature: 1.5 }))).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param: 'temperature', message: expect.stringContaining('0–1') }),
    );
  });

  it('drops sampling parameters with warnings under 2026-10-21', () => {
    const out = upstream(request({ temperature: 1.5, topP: 0.9, topK: 5 }), targetFor('claude-haiku-4-5', { options: { apiVersion: '2026-10-21' } }));
    expect(out.headers['anthropic-version']).toBe('2026-10-21');
    expect(out.json).not.toHaveProperty('temperature');
    expect(out.json).not.toHaveProperty('top_p');
    expect(out.json).not.toHaveProperty('top_k');
    expect(out.warnings.map((w) => [w.code, w.param])).toEqual([
      ['parameter_dropped', 'temperature'],
      ['parameter_dropped', 'top_p'],
      ['parameter_dropped', 'top_k'],
    ]);
  });

  it('maps tool choice and parallel control', () => {
    const tools = [{ name: 'f', parameters: { type: 'object', properties: {} } }];
    const choice = (req: Partial<CanonicalRequest>) => upstream(request({ tools, ...req })).json.tool_choice;
    expect(choice({ toolChoice: { type: 'auto' } })).toEqual({ type: 'auto' });
    expect(choice({ toolChoice: { type: 'none' } })).toEqual({ type: 'none' });
    expect(choice({ toolChoice: { type: 'required' }, parallelToolCalls: false })).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(choice({ toolChoice: { type: 'tool', name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice({ parallelToolCalls: false })).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(choice({})).toBeUndefined();
  });

  it('emulates json_schema with a forced reserved tool on models without native structured output', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const out = upstream(request({ responseFormat: { type: 'json-schema', name: 'place', schema } }), targetFor('claude-sonnet-4-20250514'));
    expect(out.json.tools).toEqual([{ name: JSON_OUTPUT_TOOL_NAME, description: expect.stringContaining('place'), input_schema: schema }]);
    expect(out.json.tool_choice).toEqual({ type: 'tool', name: JSON_OUTPUT_TOOL_NAME });
    expect(out.json).not.toHaveProperty('output_config');
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'parameter_translated', param: 'response_format' })]);

    const decoded = anthropicAdapter.fromUpstream(
      { content: [{ type: 'tool_use', id: 't', name: JSON_OUTPUT_TOOL_NAME, input: { city: 'Oslo' } }], stop_reason: 'tool_use' },
      targetFor('claude-sonnet-4-20250514'),
    );
    expect(decoded.content).toEqual([{ type: 'text', text: '{"city":"Oslo"}' }]);
    expect(decoded.finishReason.unified).toBe('stop');
  });

  it('uses native output_config for json_schema when the catalogue allows, and an instruction for json mode', () => {
    const schema = { type: 'object', properties: {} };
    const native = upstream(request({ responseFormat: { type: 'json-schema', name: 'x', schema } }), targetFor('claude-sonnet-4-5'));
    expect(native.json.output_config).toEqual({ format: { type: 'json_schema', schema } });
    expect(native.json).not.toHaveProperty('tools');
    const json = upstream(request({ responseFormat: { type: 'json' } }));
    expect(json.json.system).toEqual([{ type: 'text', text: expect.stringContaining('JSON') }]);
    expect(json.warnings).toEqual([expect.objectContaining({ code: 'parameter_translated', param: 'response_format' })]);
  });

  it('enables thinking from effort and keeps max_tokens above the budget', () => {
    const out = upstream(request({ maxOutputTokens: 2000, reasoning: { effort: 'high' }, temperature: 0.5 }));
    expect(out.json.thinking).toEqual({ type: 'enabled', budget_tokens: 16384 });
    expect(out.json.max_tokens).toBe(18384);
    expect(out.json).not.toHaveProperty('temperature');
    expect(out.warnings.map((w) => w.param)).toEqual(['max_tokens', 'temperature']);
    const small = upstream(request({ reasoning: { budgetTokens: 500 } }));
    expect(small.json.thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('maps user, stop and provider options; warns about what Anthropic lacks', () => {
    const out = upstream(
      request({
        user: 'u-1',
        stop: ['END'],
        seed: 7,
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        providerOptions: { anthropic: { service_tier: 'auto', container: 'c-1' }, openai: { logprobs: true } },
      }),
    );
    expect(out.json).toMatchObject({ metadata: { user_id: 'u-1' }, stop_sequences: ['END'], service_tier: 'auto', container: 'c-1' });
    expect(out.json).not.toHaveProperty('seed');
    expect(out.warnings.map((w) => w.param)).toEqual(['seed', 'frequency_penalty', 'presence_penalty', 'providerOptions.openai']);
  });
});
