import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { matchCommonChatRequest } from './match-common-chat-request.js';
import { openAIChatRequestSchema } from '../../wire/openai-chat/openai-chat-request-schema.js';

const base = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

const COMMON: Record<string, unknown> = {
  minimal: base,
  'every scalar setting': {
    ...base,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: 'Answer in English.' },
      { role: 'user', content: 'Hi', name: 'ada' },
      { role: 'assistant', content: 'Hello', reasoning_content: 'greeting' },
      { role: 'user', content: 'More' },
    ],
    max_completion_tokens: 64,
    max_tokens: 32,
    n: 1,
    temperature: 2,
    top_p: 0,
    frequency_penalty: -2,
    presence_penalty: 2,
    seed: -7,
    stop: ['a', 'b', 'c', 'd'],
    user: 'u-1',
    metadata: { team: 'search' },
    stream: true,
    stream_options: { include_usage: true },
    service_tier: 'flex',
  },
  'nulls meaning not sent': { ...base, tools: null, temperature: null, stop: null, stream_options: null, reasoning_effort: null },
  'a single stop string': { ...base, stop: 'END' },
  'an agent turn with tools and a tool result': {
    ...base,
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'You are an agent.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ type: 'function', id: 'call_1', function: { name: 'weather', arguments: '{"city":"Berlin"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"c":21}', name: 'weather' },
      { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }], tool_calls: [] },
    ],
    tools: [{ type: 'function', function: { name: 'weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: true } }],
    tool_choice: { type: 'function', function: { name: 'weather' } },
    parallel_tool_calls: false,
    reasoning_effort: 'low',
  },
  'structured output': { ...base, response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } }, tool_choice: 'auto', tools: [] },
  'json object output': { ...base, response_format: { type: 'json_object' } },
};

const UNCOMMON: Record<string, unknown> = {
  'not an object': [base],
  'empty model': { ...base, model: '' },
  'numeric model': { ...base, model: 4 },
  'no messages': { model: 'm', messages: [] },
  'messages not an array': { model: 'm', messages: { role: 'user', content: 'x' } },
  'unknown role': { ...base, messages: [{ role: 'robot', content: 'x' }] },
  'null user content': { ...base, messages: [{ role: 'user', content: null }] },
  'function role': { ...base, messages: [{ role: 'function', name: 'f', content: 'x' }] },
  'audio part': { ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: '', format: 'wav' } }] }] },
  'tool result without its call id': { ...base, messages: [{ role: 'tool', content: 'x' }] },
  'tool call with object arguments': { ...base, messages: [{ role: 'assistant', tool_calls: [{ type: 'function', id: 'c', function: { name: 'f', arguments: {} } }] }] },
  'custom tool': { ...base, tools: [{ type: 'custom', custom: { name: 'x' } }] },
  'array tool parameters': { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: [] } }] },
  'own __proto__ in tool parameters': { ...base, tools: [{ type: 'function', function: { name: 'f', parameters: JSON.parse('{"__proto__": {}}') as unknown } }] },
  'unknown tool choice': { ...base, tool_choice: 'sometimes' },
  'unknown reasoning effort': { ...base, reasoning_effort: 'extreme' },
  'unknown response format': { ...base, response_format: { type: 'yaml' } },
  'assistant numeric reasoning': { ...base, messages: [{ role: 'assistant', content: 'x', reasoning_content: 1 }] },
  'zero max tokens': { ...base, max_tokens: 0 },
  'fractional max tokens': { ...base, max_completion_tokens: 1.5 },
  'string max tokens': { ...base, max_tokens: '10' },
  'n of zero': { ...base, n: 0 },
  'temperature above 2': { ...base, temperature: 2.1 },
  'negative top_p': { ...base, top_p: -0.1 },
  'penalty below -2': { ...base, frequency_penalty: -2.5 },
  'fractional seed': { ...base, seed: 1.5 },
  'five stop strings': { ...base, stop: ['a', 'b', 'c', 'd', 'e'] },
  'numeric stop': { ...base, stop: [1] },
  'numeric user': { ...base, user: 1 },
  'numeric metadata value': { ...base, metadata: { n: 1 } },
  'string stream': { ...base, stream: 'yes' },
  'string include_usage': { ...base, stream_options: { include_usage: 'yes' } },
  'array stream_options': { ...base, stream_options: [] },
};

describe('matchCommonChatRequest', () => {
  it.each(Object.entries(COMMON))('accepts %s, and zod agrees field for field', (_name, body) => {
    const matched = matchCommonChatRequest(body);
    expect(matched).toBe(body);
    const parsed = openAIChatRequestSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    // zod drops keys it does not know; everything it keeps must be exactly what the fast path hands on.
    expect(body).toMatchObject(parsed.data as object);
  });

  it.each(Object.entries(UNCOMMON))('leaves %s to the schema', (_name, body) => {
    expect(matchCommonChatRequest(body)).toBeUndefined();
  });

  it('never accepts a body the schema rejects, and hands on everything the schema keeps', () => {
    const scalar = fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }), fc.integer({ min: -3, max: 3 }), fc.boolean(), fc.constant({}), fc.constant([]));
    const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 30, arbitrary: right }, { weight: 1, arbitrary: scalar });
    const text = loose(fc.string({ maxLength: 5 }));
    const textPart = loose(fc.record({ type: loose(fc.constant('text')), text }));
    const textContent = loose(fc.oneof(fc.string({ maxLength: 5 }), fc.array(textPart, { maxLength: 2 })));
    const record = loose(fc.oneof(fc.constant({ type: 'object' }), fc.constant({}), fc.constant(null)));
    const toolCall = loose(fc.record({ type: loose(fc.constant('function')), id: text, function: loose(fc.record({ name: text, arguments: text })) }));
    const message = loose(
      fc.oneof(
        fc.record({ role: fc.constantFrom('system', 'developer'), content: textContent }),
        fc.record({
          role: fc.constant('user'),
          content: loose(fc.oneof(fc.string({ maxLength: 5 }), fc.array(loose(fc.oneof(textPart, fc.record({ type: fc.constant('image_url'), image_url: loose(fc.record({ url: text, detail: loose(fc.constantFrom('auto', 'low', null)) }, { requiredKeys: ['url'] })) }))), { maxLength: 2 }))),
        }),
        fc.record(
          { role: fc.constant('assistant'), content: loose(fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.array(loose(fc.oneof(textPart, fc.record({ type: fc.constant('refusal'), refusal: text }))), { maxLength: 2 }))), tool_calls: loose(fc.array(toolCall, { maxLength: 2 })), reasoning_content: text },
          { requiredKeys: ['role'] },
        ),
        fc.record({ role: fc.constant('tool'), tool_call_id: text, content: textContent, name: text }, { requiredKeys: ['role', 'tool_call_id', 'content'] }),
      ),
    );
    const tool = loose(fc.record({ type: loose(fc.constant('function')), function: loose(fc.record({ name: text, description: text, parameters: record, strict: loose(fc.boolean()) }, { requiredKeys: ['name'] })) }));
    const body = fc.record(
      {
        model: loose(fc.string({ minLength: 1, maxLength: 4 })),
        messages: loose(fc.array(message, { minLength: 1, maxLength: 3 })),
        tools: loose(fc.array(tool, { maxLength: 2 })),
        tool_choice: loose(fc.oneof(fc.constantFrom('none', 'auto', 'required'), fc.record({ type: fc.constant('function'), function: loose(fc.record({ name: text })) }))),
        parallel_tool_calls: loose(fc.boolean()),
        response_format: loose(fc.oneof(fc.record({ type: fc.constantFrom('text', 'json_object') }), fc.record({ type: fc.constant('json_schema'), json_schema: loose(fc.record({ name: text, schema: record, strict: loose(fc.boolean()) }, { requiredKeys: ['name'] })) }))),
        reasoning_effort: loose(fc.constantFrom('low', 'high', 'max', null)),
        temperature: loose(fc.double({ min: 0, max: 2, noNaN: true })),
        stream: loose(fc.boolean()),
      },
      { requiredKeys: ['model', 'messages'] },
    );
    expectReaderAgreesWithSchema(body, matchCommonChatRequest, openAIChatRequestSchema, { runs: 8000, atLeast: 200, compare: 'kept' });
  });
});
