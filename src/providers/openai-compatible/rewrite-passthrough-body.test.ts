import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Target } from '../../core/index.js';
import { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
import type { OpenAIFamilyType } from '../../core/index.js';
import { toMistralToolCallId } from './to-mistral-tool-call-id.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

function target(type: OpenAIFamilyType, model: string): Target {
  return { provider: { id: `${type}-1`, type, baseUrl: 'https://x', apiKey: 'k', headers: {}, options: {} }, model };
}

describe('same-format pass-through', () => {
  const clientBody = {
    model: 'smart',
    messages: [
      { role: 'developer', content: 'Be brief.' },
      { role: 'assistant', tool_calls: [{ id: 'call_abc', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'call_abc', content: 'ok' },
    ],
    tools: [
      { type: 'function', function: { name: 'f', parameters: {} } },
      { type: 'function', function: { name: 'g', parameters: {} } },
    ],
    tool_choice: { type: 'function', function: { name: 'f' } },
    stream: true,
    stream_options: { include_usage: false },
    logprobs: true,
    prediction: { type: 'content', content: 'x' },
    max_completion_tokens: 64,
  };
  const request = (body: Record<string, unknown>): CanonicalRequest => ({
    model: 'smart',
    messages: [],
    stream: body.stream === true,
    passthrough: { format: 'openai-chat', body },
  });

  it('keeps unknown fields, replaces the model and forces stream usage', () => {
    const upstream = createOpenAICompatibleAdapter('openai').toUpstream(request(clientBody), target('openai', 'gpt-4o'));
    expect(JSON.parse(upstreamBodyText(upstream.body))).toEqual({ ...clientBody, model: 'gpt-4o', stream_options: { include_usage: true } });
    expect(clientBody.stream_options).toEqual({ include_usage: false });
  });

  it('still rewrites Mistral ids, tool choice, roles and token field', () => {
    const body = JSON.parse(
      upstreamBodyText(createOpenAICompatibleAdapter('mistral').toUpstream(request(clientBody), target('mistral', 'mistral-small-latest')).body),
    ) as Record<string, unknown>;
    const id = toMistralToolCallId('call_abc');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'assistant', tool_calls: [{ id, type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: id, content: 'ok' },
    ]);
    expect(body).toMatchObject({ model: 'mistral-small-latest', tool_choice: 'any', max_tokens: 64, logprobs: true });
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'f', parameters: {} } }]);
    expect(body).not.toHaveProperty('max_completion_tokens');
    expect(body).not.toHaveProperty('stream_options');
  });

  it('adds enable_thinking=false for a non-streaming Qwen pass-through', () => {
    const upstream = createOpenAICompatibleAdapter('qwen').toUpstream(
      request({ model: 'x', messages: [{ role: 'user', content: 'Hi' }], stream: false, vl_high_resolution_images: true }),
      target('qwen', 'qwen3-max'),
    );
    expect(JSON.parse(upstreamBodyText(upstream.body))).toEqual({
      model: 'qwen3-max',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: false,
      vl_high_resolution_images: true,
      enable_thinking: false,
    });
  });
});
