import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import type { ParseContext } from '../dialect.js';
import { parseAnthropicRequest } from './parse-anthropic-request.js';

const v2023: ParseContext = { headers: { 'anthropic-version': '2023-06-01' }, params: {} };

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

function userContent(...blocks: unknown[]): Record<string, unknown> {
  return { messages: [{ role: 'user', content: blocks }] };
}

describe('parseAnthropicRequest: validation errors name the exact path', () => {
  it.each([
    [userContent({ type: 'image', source: { type: 'base64', media_type: 'image/png' } }), 'messages[0].content[0].source.data'],
    [userContent({ type: 'image', source: { type: 'base64', media_type: 'image/bmp', data: 'AA' } }), 'messages[0].content[0].source.media_type'],
    [userContent({ type: 'text', text: 'a' }, { type: 'bogus' }), 'messages[0].content[1].type'],
    [userContent({ type: 'tool_result', content: 'x' }), 'messages[0].content[0].tool_use_id'],
    [{ messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    [{ temperature: 1.5 }, 'temperature'],
    [{ tools: [{ name: 'f' }] }, 'tools[0].input_schema'],
    [{ tool_choice: { type: 'tool' } }, 'tool_choice.name'],
    [{ thinking: { type: 'enabled' } }, 'thinking.budget_tokens'],
    [{ max_tokens: 0 }, 'max_tokens'],
  ])('%j → %s', (patch, param) => {
    const error = failure(() => parseAnthropicRequest(base(patch), v2023));
    expect(error.code).toBe('invalid_request');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message.startsWith(`${param}: `)).toBe(true);
  });

  it('reports "expected string or array" for content of the wrong type', () => {
    const error = failure(() => parseAnthropicRequest(base({ messages: [{ role: 'user', content: 5 }] }), v2023));
    expect(error.message).toBe('messages[0].content: Invalid input: expected string or array');
  });

  it('rejects document blocks as unsupported, naming the block', () => {
    const document = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'AA' } };
    const error = failure(() => parseAnthropicRequest(base(userContent({ type: 'text', text: 'a' }, document)), v2023));
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('messages[0].content[1]');
  });

  it('rejects blocks in the wrong role and a non-object body', () => {
    const toolUse = { type: 'tool_use', id: 'a', name: 'f', input: {} };
    const misplaced = failure(() => parseAnthropicRequest(base(userContent(toolUse)), v2023));
    expect(misplaced.param).toBe('messages[0].content[0]');
    expect(failure(() => parseAnthropicRequest([], v2023)).code).toBe('invalid_request');
  });
});
