import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../core/index.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';

const target: Target = {
  provider: { id: 'claude', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, options: {} },
  model: 'claude-haiku-4-5',
};

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../wire/anthropic-messages/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

describe('Anthropic fromUpstream', () => {
  it('translates the recorded text message with usage in disjoint buckets', () => {
    const body = fixture('anthropic-messages.json');
    const response = anthropicAdapter.fromUpstream(body, target);
    expect(response).toEqual({
      id: 'msg_011CeCGmD8uwD58unxgBN8Qx',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: '2 + 2 = 4' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: {
        inputTokens: 16,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 13,
        raw: (body as { usage: unknown }).usage,
      },
      warnings: [],
    });
  });

  it('translates two parallel tool_use blocks into tool calls with JSON arguments', () => {
    const response = anthropicAdapter.fromUpstream(fixture('anthropic-tool-use.json'), target);
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        callId: 'toolu_01TjHdHxyQNDy4DipRieJU5n',
        name: 'weather',
        arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
      },
      { type: 'tool-call', callId: 'toolu_01QHFWAkMuVLb3VgS4EDGUGY', name: 'best_language_to_learn', arguments: '{}' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.usage).toMatchObject({ inputTokens: 701, outputTokens: 98 });
  });

  it('returns the JSON-output tool input as message text with finish stop', () => {
    const response = anthropicAdapter.fromUpstream(
      {
        id: 'msg_j',
        content: [{ type: 'tool_use', id: 'toolu_j', name: JSON_OUTPUT_TOOL_NAME, input: { city: 'Berlin', temp: 15 } }],
        stop_reason: 'tool_use',
        usage: { input_tokens: 5, output_tokens: 7 },
      },
      target,
    );
    expect(response.content).toEqual([{ type: 'text', text: '{"city":"Berlin","temp":15}' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'tool_use' });
    expect(response.model).toBe('claude-haiku-4-5');
  });

  it('keeps thinking with its signature, skips unknown blocks and maps refusal and context overflow', () => {
    const response = anthropicAdapter.fromUpstream(
      {
        content: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: {} },
          { type: 'text', text: 'No.' },
        ],
        stop_reason: 'refusal',
        usage: { input_tokens: 3, output_tokens: 10, output_tokens_details: { thinking_tokens: 4 } },
      },
      target,
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'hmm', signature: 'sig' },
      { type: 'text', text: 'No.' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'refusal' });
    expect(response.usage).toMatchObject({ outputTokens: 6, reasoningTokens: 4 });
    const overflow = anthropicAdapter.fromUpstream({ content: [], stop_reason: 'model_context_window_exceeded' }, target);
    expect(overflow.finishReason).toEqual({ unified: 'length', raw: 'model_context_window_exceeded' });
  });

  it('rejects a malformed body naming the bad field', () => {
    expect(() => anthropicAdapter.fromUpstream({ content: [{ type: 'tool_use', id: 'x', name: 'y', input: 'oops' }] }, target)).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response', message: expect.stringContaining('content[0].input') }),
    );
  });
});
