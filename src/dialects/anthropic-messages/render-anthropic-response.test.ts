import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError, type CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { renderAnthropicError } from './render-anthropic-error.js';
import { renderAnthropicResponse } from './render-anthropic-response.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../wire/anthropic-messages/__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The recorded body without the fields a gateway does not reproduce (service metadata, 2026 `caller`). */
function comparable(recorded: Record<string, unknown>): Record<string, unknown> {
  const usage = recorded.usage as Record<string, unknown>;
  const content = (recorded.content as Array<Record<string, unknown>>).map(({ caller: _caller, ...block }) => block);
  const { cache_creation: _c, service_tier: _s, inference_geo: _g, ...keptUsage } = usage;
  return { ...recorded, id: 'msg_req-1', model: 'smart', content, usage: keptUsage };
}

const context: RenderContext = { requestId: 'req-1', model: 'smart', created: 1_700_000_000, includeUsage: false };

describe('renderAnthropicResponse', () => {
  it('renders a text response in the recorded shape', () => {
    const response: CanonicalResponse = {
      content: [{ type: 'text', text: '2 + 2 = 4' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 16, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 13 },
      warnings: [],
    };
    expect(renderAnthropicResponse(response, context)).toEqual(comparable(fixture('anthropic-messages.json')));
  });

  it('renders parallel tool calls with parsed input objects ("" becomes {})', () => {
    const response: CanonicalResponse = {
      content: [
        { type: 'tool-call', callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n', name: 'weather', arguments: '{"latitude":"52.5200","longitude":"13.4050"}' },
        { type: 'tool-call', callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY', name: 'best_language_to_learn', arguments: '' },
      ],
      finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
      usage: { inputTokens: 701, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 98 },
      warnings: [],
    };
    expect(renderAnthropicResponse(response, context)).toEqual(comparable(fixture('anthropic-tool-use.json')));
  });

  it('renders reasoning, counts reasoning tokens as output and zero-fills unreported usage', () => {
    const response: CanonicalResponse = {
      content: [
        { type: 'reasoning', text: 'hmm', signature: 'sig' },
        { type: 'reasoning', text: '', redactedData: 'opaque' },
        { type: 'text', text: 'hi' },
      ],
      finishReason: { unified: 'length' },
      usage: { outputTokens: 5, reasoningTokens: 7 },
      warnings: [],
    };
    expect(renderAnthropicResponse(response, context)).toMatchObject({
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'hi' },
      ],
      stop_reason: 'max_tokens',
      usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 12 },
    });
  });

  it.each([
    [{ unified: 'stop', stopSequence: 'END' }, 'stop_sequence', 'END'],
    [{ unified: 'stop' }, 'end_turn', null],
    [{ unified: 'content-filter' }, 'refusal', null],
    [{ unified: 'error' }, 'end_turn', null],
    [{ unified: 'other', raw: 'pause_turn' }, 'pause_turn', null],
    [{ unified: 'length', raw: 'model_context_window_exceeded' }, 'model_context_window_exceeded', null],
  ] as const)('maps finish %j to %s', (finishReason, stopReason, stopSequence) => {
    const response: CanonicalResponse = { content: [], finishReason, usage: {}, warnings: [] };
    expect(renderAnthropicResponse(response, context)).toMatchObject({ stop_reason: stopReason, stop_sequence: stopSequence });
  });
});

describe('renderAnthropicError', () => {
  it('renders the Anthropic error body with the table status and type', () => {
    expect(renderAnthropicError(new GatewayError('upstream_overloaded', 'Overloaded'))).toEqual({
      status: 503,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      headers: {},
    });
  });

  it('adds retry-after in whole seconds, rounded up', () => {
    const rendered = renderAnthropicError(new GatewayError('rate_limited', 'slow down', { retryAfterMs: 1500 }));
    expect(rendered.status).toBe(429);
    expect(rendered.headers).toEqual({ 'retry-after': '2' });
    expect(rendered.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
  });
});
