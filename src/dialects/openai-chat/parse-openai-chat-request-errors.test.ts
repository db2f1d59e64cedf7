import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';

function caught(body: unknown): GatewayError {
  try {
    parseOpenAIChatRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected parseOpenAIChatRequest to throw');
}

const user = { role: 'user', content: 'hi' };

function body(extra: Record<string, unknown>): Record<string, unknown> {
  return { model: 'gpt-4o', messages: [user], ...extra };
}

interface Case {
  name: string;
  body: unknown;
  code: string;
  param: string | undefined;
  message: string;
}

const cases: Case[] = [
  {
    name: 'a missing model',
    body: { messages: [user] },
    code: 'invalid_request',
    param: 'model',
    message: 'Missing required field: model',
  },
  {
    name: 'a model of the wrong type',
    body: body({ model: 42 }),
    code: 'invalid_request',
    param: 'model',
    message: 'Invalid type at model: expected string',
  },
  {
    name: 'an empty messages array',
    body: body({ messages: [] }),
    code: 'invalid_request',
    param: 'messages',
    message: 'Invalid value at messages: expected at least 1 item',
  },
  {
    name: 'content that is neither string nor array',
    body: body({ messages: [user, { role: 'user', content: 5 }] }),
    code: 'invalid_request',
    param: 'messages[1].content',
    message: 'Invalid type at messages[1].content: expected string or array',
  },
  {
    name: 'an unknown role',
    body: body({ messages: [{ role: 'robot', content: 'x' }] }),
    code: 'invalid_request',
    param: 'messages[0].role',
    message: expect.stringContaining('Invalid value at messages[0].role: expected one of "system", "developer", "user"'),
  },
  {
    name: 'the deprecated function role',
    body: body({ messages: [user, { role: 'function', name: 'f', content: 'x' }] }),
    code: 'unsupported_parameter',
    param: 'messages[1].role',
    message: expect.stringContaining('Unsupported role at messages[1].role'),
  },
  {
    name: 'an image part whose url is not a string',
    body: body({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 5 } }] }] }),
    code: 'invalid_request',
    param: 'messages[0].content[0].image_url.url',
    message: 'Invalid type at messages[0].content[0].image_url.url: expected string',
  },
  {
    name: 'an image part with a non-https url',
    body: body({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }],
    }),
    code: 'invalid_request',
    param: 'messages[0].content[1].image_url.url',
    message: 'Invalid image URL at messages[0].content[1].image_url.url: expected an https:// or data: URL',
  },
  {
    name: 'a malformed data URL',
    body: body({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }] }] }),
    code: 'invalid_request',
    param: 'messages[0].content[0].image_url.url',
    message: expect.stringContaining('Invalid image data URL at messages[0].content[0].image_url.url'),
  },
  {
    name: 'an unknown image detail',
    body: body({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://a/b', detail: 'ultra' } }] }] }),
    code: 'invalid_request',
    param: 'messages[0].content[0].image_url.detail',
    message: 'Invalid value at messages[0].content[0].image_url.detail: expected one of "auto", "low", "high"',
  },
  {
    name: 'an input_audio part',
    body: body({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }),
    code: 'unsupported_parameter',
    param: 'messages[0].content[0]',
    message: 'Unsupported content part at messages[0].content[0]: input_audio parts are not supported',
  },
  {
    name: 'a file part',
    body: body({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'f' } }] }] }),
    code: 'unsupported_parameter',
    param: 'messages[0].content[0]',
    message: 'Unsupported content part at messages[0].content[0]: file parts are not supported',
  },
  {
    name: 'a tool message without tool_call_id',
    body: body({ messages: [user, { role: 'tool', content: 'r' }] }),
    code: 'invalid_request',
    param: 'messages[1].tool_call_id',
    message: 'Missing required field: messages[1].tool_call_id',
  },
  {
    name: 'a temperature above 2',
    body: body({ temperature: 2.5 }),
    code: 'invalid_request',
    param: 'temperature',
    message: 'Invalid value at temperature: expected a number <= 2',
  },
  {
    name: 'a negative temperature',
    body: body({ temperature: -1 }),
    code: 'invalid_request',
    param: 'temperature',
    message: 'Invalid value at temperature: expected a number >= 0',
  },
  {
    name: 'a named tool_choice that is not in tools',
    body: body({
      tools: [{ type: 'function', function: { name: 'a' } }],
      tool_choice: { type: 'function', function: { name: 'b' } },
    }),
    code: 'invalid_request',
    param: 'tool_choice.function.name',
    message: 'Invalid value at tool_choice.function.name: no tool named "b" in tools',
  },
  {
    name: 'an unknown tool_choice string',
    body: body({ tool_choice: 'sometimes' }),
    code: 'invalid_request',
    param: 'tool_choice',
    message: expect.stringContaining('Invalid value at tool_choice: expected one of "none", "auto", "required"'),
  },
  {
    name: 'a custom tool',
    body: body({ tools: [{ type: 'custom', custom: { name: 'grammar' } }] }),
    code: 'unsupported_parameter',
    param: 'tools[0]',
    message: 'Unsupported tool at tools[0]: custom tools are not supported',
  },
  {
    name: 'more than four stop sequences',
    body: body({ stop: ['a', 'b', 'c', 'd', 'e'] }),
    code: 'invalid_request',
    param: 'stop',
    message: 'Invalid value at stop: expected at most 4 items',
  },
  {
    name: 'n greater than 1',
    body: body({ n: 2 }),
    code: 'unsupported_parameter',
    param: 'n',
    message: 'Unsupported value at n: only n = 1 is supported',
  },
  {
    name: 'non-string metadata values',
    body: body({ metadata: { count: 3 } }),
    code: 'invalid_request',
    param: 'metadata.count',
    message: 'Invalid type at metadata.count: expected string',
  },
  {
    name: 'legacy functions',
    body: body({ functions: [{ name: 'f' }] }),
    code: 'unsupported_parameter',
    param: 'functions',
    message: 'Unsupported parameter: functions is deprecated; use tools',
  },
  {
    name: 'an assistant tool call without arguments',
    body: body({ messages: [user, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f' } }] }] }),
    code: 'invalid_request',
    param: 'messages[1].tool_calls[0].function.arguments',
    message: 'Missing required field: messages[1].tool_calls[0].function.arguments',
  },
];

describe('parseOpenAIChatRequest errors', () => {
  it.each(cases)('rejects $name with a message naming the field', ({ body: input, code, param, message }) => {
    const error = caught(input);
    expect(error.code).toBe(code);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toEqual(message);
  });

  it('rejects a body that is not an object without a param', () => {
    const error = caught([1, 2]);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBeUndefined();
    expect(error.message).toBe('Invalid request body: expected a JSON object');
  });
});
