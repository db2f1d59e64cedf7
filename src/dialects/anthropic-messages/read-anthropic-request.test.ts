import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { anthropicRequestSchema } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import { readAnthropicRequest } from './read-anthropic-request.js';

function json(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

const agentBody = (name: string): unknown => (json(new URL(`../../../test/agents/__fixtures__/${name}`, import.meta.url)) as { body: unknown }).body;

// Values that are sometimes right and sometimes wrong for a field, so both answers of the reader are exercised.
const scalar = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 3 }), fc.double({ min: -1, max: 2, noNaN: true }), fc.boolean(), fc.constant({}));
const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 40, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant([]) });
const text = loose(fc.string({ maxLength: 6 }));
const extra = fc.oneof({ weight: 40, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: scalar });
const cacheControl = loose(fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ type: loose(fc.constant('ephemeral')), ttl: loose(fc.constantFrom('5m', '1h')) }, { requiredKeys: ['type'] })));
const record = loose(fc.oneof(fc.constant({ type: 'object', properties: {} }), fc.constant({ city: 'Berlin' }), fc.constant({})));
const textBlock = fc.record({ type: loose(fc.constant('text')), text, cache_control: cacheControl, citations: extra, stray: extra }, { requiredKeys: ['type', 'text'] });
const imageSource = loose(
  fc.oneof(
    fc.record({ type: fc.constant('base64'), media_type: loose(fc.constantFrom('image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp')), data: text, stray: extra }, { requiredKeys: ['type', 'media_type', 'data'] }),
    fc.record({ type: fc.constant('url'), url: text, stray: extra }, { requiredKeys: ['type', 'url'] }),
    fc.record({ type: fc.constantFrom('file', 'other'), file_id: text, stray: extra }, { requiredKeys: ['type', 'file_id'] }),
  ),
);
const imageBlock = fc.record({ type: fc.constant('image'), source: imageSource, cache_control: cacheControl, stray: extra }, { requiredKeys: ['type', 'source'] });
const block = loose(
  fc.oneof(
    { weight: 6, arbitrary: textBlock },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('tool_use'), id: text, name: text, input: record, cache_control: cacheControl, stray: extra }, { requiredKeys: ['type', 'id', 'name', 'input'] }) },
    { weight: 3, arbitrary: fc.record(
      { type: fc.constant('tool_result'), tool_use_id: text, content: loose(fc.oneof(fc.string({ maxLength: 4 }), fc.array(fc.oneof(textBlock, imageBlock), { maxLength: 2 }))), is_error: loose(fc.boolean()), cache_control: cacheControl },
      { requiredKeys: ['type', 'tool_use_id'] },
    ) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('thinking'), thinking: text, signature: text }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('redacted_thinking'), data: text }) },
    { weight: 3, arbitrary: imageBlock },
  ),
);
const message = loose(fc.record({ role: loose(fc.constantFrom('user', 'assistant', 'system')), content: loose(fc.oneof(fc.string({ maxLength: 6 }), fc.array(block, { maxLength: 3 }))), stray: extra }, { requiredKeys: ['role', 'content'] }));
const tool = loose(
  fc.record(
    { type: loose(fc.constantFrom(undefined, undefined, undefined, null, 'custom', 'web_search_20250305')), name: loose(fc.string({ minLength: 1, maxLength: 4 })), description: text, input_schema: record, cache_control: cacheControl, strict: loose(fc.boolean()), other: extra },
    { requiredKeys: ['name', 'input_schema'] },
  ),
);
const jsonFormat = loose(fc.oneof(fc.constant(null), fc.record({ type: loose(fc.constant('json_schema')), schema: record, stray: extra }, { requiredKeys: ['type', 'schema'] })));
const body = fc.record(
  {
    model: loose(fc.string({ minLength: 1, maxLength: 5 })),
    max_tokens: loose(fc.integer({ min: 1, max: 5000 })),
    messages: loose(fc.array(message, { maxLength: 3 })),
    system: loose(fc.oneof(fc.string({ maxLength: 4 }), fc.array(textBlock, { maxLength: 2 }))),
    tools: loose(fc.array(tool, { maxLength: 2 })),
    tool_choice: loose(fc.oneof(fc.record({ type: fc.constantFrom('auto', 'any', 'auto', 'none'), disable_parallel_tool_use: loose(fc.boolean()) }, { requiredKeys: ['type'] }), fc.record({ type: fc.constant('tool'), name: text, stray: extra }))),
    stop_sequences: loose(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })),
    temperature: loose(fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-0.5, 1.5) })),
    top_p: loose(fc.double({ min: 0, max: 1, noNaN: true })),
    top_k: loose(fc.integer({ min: 0, max: 50 })),
    thinking: loose(fc.oneof(fc.record({ type: fc.constant('enabled'), budget_tokens: loose(fc.integer({ min: 1, max: 3000 })) }), fc.record({ type: fc.constantFrom('disabled', 'adaptive', 'between_tools', 'adaptive', 'other') }))),
    output_config: loose(fc.record({ format: jsonFormat, effort: loose(fc.constantFrom(null, 'low', 'max', 'high', 'extreme')), other: extra }, { requiredKeys: [] })),
    output_format: jsonFormat,
    metadata: loose(fc.record({ user_id: loose(fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null))) }, { requiredKeys: [] })),
    stream: loose(fc.boolean()),
    context_management: extra,
  },
  { requiredKeys: ['model', 'messages'] },
);

describe('reading Anthropic request bodies of the common shape without the schema', () => {
  it('reads the recorded Claude Code turns and the tool round trip as the schema does', () => {
    const bodies = [agentBody('claude-code-first-turn.json'), agentBody('claude-code-tool-result.json'), json(new URL('../../wire/anthropic-messages/__fixtures__/anthropic-request-tool-roundtrip.json', import.meta.url))];
    for (const value of bodies) {
      const read = readAnthropicRequest(value);
      expect(read).toBeDefined();
      expect(read).toEqual(anthropicRequestSchema.parse(value));
    }
  });

  it('never reads a body the schema rejects or would change, and reads what it takes exactly as the schema does', () => {
    expectReaderAgreesWithSchema(body, readAnthropicRequest, anthropicRequestSchema, { runs: 25000, atLeast: 150, compare: 'equal' });
  });

  it('reads image blocks exactly as the schema does, in messages and in tool results', () => {
    const toolResult = fc.record({ type: fc.constant('tool_result'), tool_use_id: fc.constant('t'), content: fc.array(fc.oneof(imageBlock, textBlock), { maxLength: 2 }) });
    const content = fc.array(fc.oneof(imageBlock, toolResult), { minLength: 1, maxLength: 3 });
    const withImages = fc.record({ model: fc.constant('m'), max_tokens: fc.constant(10), messages: fc.tuple(fc.record({ role: fc.constant('user'), content })) });
    expectReaderAgreesWithSchema(withImages, readAnthropicRequest, anthropicRequestSchema, { runs: 5000, atLeast: 300, compare: 'equal' });
  });

  it('reads image blocks, in messages and in tool results, as they are', () => {
    const screenshot = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } };
    const body = {
      model: 'm',
      max_tokens: 10,
      messages: [
        { role: 'user', content: [screenshot, { type: 'text', text: 'what is this?' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'read', input: { path: 'a.png' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x/a.png' } }] }] },
      ],
    };
    expect(readAnthropicRequest(body)).toBe(body);
    expect(readAnthropicRequest({ ...body, messages: [{ role: 'user', content: [{ ...screenshot, source: { ...screenshot.source, media_type: 'image/bmp' } }] }] })).toBeUndefined();
  });

  it('leaves keys the schema would drop, server tools and own __proto__ keys to the schema', () => {
    const base = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] };
    expect(readAnthropicRequest(base)).toBe(base);
    expect(readAnthropicRequest({ ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', extra: 1 }] }] })).toBeUndefined();
    expect(readAnthropicRequest({ ...base, messages: [{ role: 'user', content: 'hi', name: 'x' }] })).toBeUndefined();
    expect(readAnthropicRequest({ ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'u', detail: 'high' } }] }] })).toBeUndefined();
    expect(readAnthropicRequest({ ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toBeUndefined();
    const input = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    expect(readAnthropicRequest({ ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input }] }] })).toBeUndefined();
  });
});
