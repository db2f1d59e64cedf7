import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';

const codexRequest = JSON.parse(
  readFileSync(new URL('../../wire/openai-responses/__fixtures__/codex-request.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

function parseError(body: unknown): GatewayError {
  try {
    parseOpenAIResponsesRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('parseOpenAIResponsesRequest', () => {
  it('reads a string input with instructions as a system prompt and a user turn', () => {
    const request = parseOpenAIResponsesRequest({ model: 'm', input: 'hi', instructions: 'Be terse.', max_output_tokens: 50 });
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be terse.' }] },
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
    ]);
    expect(request.maxOutputTokens).toBe(50);
    expect(request.stream).toBe(false);
  });

  it('accepts everything Codex sends: developer input, namespaced tools, reasoning replay, bookkeeping fields', () => {
    const request = parseOpenAIResponsesRequest(codexRequest);
    expect(request.stream).toBe(true);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'system', 'user', 'user', 'assistant', 'tool']);
    expect(request.messages[1]).toMatchObject({ role: 'system', developer: true });
    expect(request.messages[4]).toEqual({
      role: 'assistant',
      content: [
        { type: 'reasoning', text: 'I should run ls.' },
        { type: 'tool-call', callId: 'call_fixture_1', name: 'shell', arguments: '{"command":["ls"]}' },
      ],
    });
    expect(request.messages[5]).toMatchObject({ role: 'tool', content: [{ type: 'tool-result', callId: 'call_fixture_1', name: 'shell' }] });
    expect(request.tools?.map((tool) => tool.name)).toEqual(['shell', 'docs__search']);
    expect(request.tools?.[1]?.namespace).toBe('docs');
    expect(request.toolChoice).toEqual({ type: 'auto' });
    expect(request.parallelToolCalls).toBe(false);
    expect(request.reasoning).toEqual({ effort: 'medium' });
    expect(request.cacheKey).toBe('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b');
    // Codex sends `store: false`: the body may be forwarded as it is, so what translating it drops is kept apart.
    expect(request.passthrough).toEqual({ format: 'openai-responses', body: codexRequest, onlyWithForwardedAnswer: true });
    expect(request.warnings).toBeUndefined();
    expect(request.translationWarnings?.map((warning) => warning.param)).toEqual(['input[3].encrypted_content', 'tools[1]', 'tools[3]']);
    // Only a Responses API target, which gets the body as sent, ever sees the encrypted reasoning.
    const { passthrough: _forwarded, ...translated } = request;
    expect(JSON.stringify(translated)).not.toContain('opaque-blob');
  });

  it('maps a namespaced function call back to its flat tool name', () => {
    const request = parseOpenAIResponsesRequest({
      model: 'm',
      input: [
        { type: 'function_call', call_id: 'c1', name: 'search', namespace: 'docs', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'none found' },
      ],
    });
    expect(request.messages[0]).toMatchObject({ role: 'assistant', content: [{ type: 'tool-call', name: 'docs__search' }] });
    expect(request.messages[1]).toMatchObject({ role: 'tool', content: [{ name: 'docs__search' }] });
  });

  it('reads text.format json_schema as structured output', () => {
    const request = parseOpenAIResponsesRequest({
      model: 'm',
      input: 'x',
      text: { format: { type: 'json_schema', name: 'answer', schema: { type: 'object' }, strict: true } },
    });
    expect(request.responseFormat).toEqual({ type: 'json-schema', name: 'answer', schema: { type: 'object' }, strict: true });
  });

  it('rejects previous_response_id when the caller did not load the stored conversation', () => {
    const error = parseError({ model: 'm', input: 'x', previous_response_id: 'resp_1' });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('previous_response_id');
  });

  it('puts the stored conversation before the new input, without its instructions', () => {
    const prior = [
      { id: 'msg_a', type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] },
      { id: 'msg_b', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'answer', annotations: [] }] },
    ];
    const request = parseOpenAIResponsesRequest({ model: 'm', input: 'second', instructions: 'Be brief.', previous_response_id: 'resp_1' }, prior);
    expect(request.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', content: [{ type: 'text', text: 'first' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'answer' }] },
      { role: 'user', content: [{ type: 'text', text: 'second' }] },
    ]);
  });

  it('refuses background with stream, and background without store', () => {
    expect(parseError({ model: 'm', input: 'x', background: true, stream: true }).param).toBe('stream');
    expect(parseError({ model: 'm', input: 'x', background: true, store: false }).param).toBe('store');
  });

  it('rejects a request without any input', () => {
    expect(parseError({ model: 'm', instructions: 'only this' }).param).toBe('input');
  });

  it('names the bad field by path', () => {
    const error = parseError({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] });
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('input[0]');
  });
});
