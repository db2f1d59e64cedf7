import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { isRecord } from '../../core/index.js';
import { openAIResponsesRequestSchema } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { readOpenAIResponsesRequest, readResponsesInputItems } from './read-openai-responses-request.js';

const codexRequest = JSON.parse(readFileSync(new URL('../../wire/openai-responses/__fixtures__/codex-request.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The same object with an own `__proto__` key, as JSON.parse makes it; zod's copy of it drops that key. */
const withOwnProto = (value: unknown): unknown => (isRecord(value) ? { ...value, ...(JSON.parse('{"__proto__": {"polluted": true}}') as object) } : value);

// Values that are sometimes right and sometimes wrong for a field, so both answers of the reader are exercised.
const scalar = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 3 }), fc.double({ min: -1, max: 3, noNaN: true }), fc.boolean(), fc.constant({}));
const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 60, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: right.map(withOwnProto) });
const text = loose(fc.string({ maxLength: 6 }));
const maybe = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => loose(fc.oneof({ weight: 4, arbitrary: right }, { weight: 1, arbitrary: fc.constant(null) }));
const extra = fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: scalar });
const record = loose(fc.constantFrom({ type: 'object', properties: {} }, { city: 'Berlin' }, {}));
const part = loose(
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ type: loose(fc.constantFrom('input_text', 'output_text')), text, annotations: extra }, { requiredKeys: ['type', 'text'] }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('input_image'), image_url: fc.constant('https://x/y.png'), detail: fc.constantFrom('auto', 'low') }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('refusal'), refusal: text }) },
  ),
);
const content = loose(fc.oneof(fc.string({ maxLength: 6 }), fc.array(part, { maxLength: 3 })));
const entries = maybe(fc.array(loose(fc.record({ type: fc.constant('summary_text'), text }, { requiredKeys: ['text'] })), { maxLength: 2 }));
const item = loose(
  fc.oneof(
    { weight: 6, arbitrary: fc.record(
      { type: loose(fc.constantFrom(undefined, 'message')), role: loose(fc.constantFrom('user', 'assistant', 'system', 'developer', 'user', 'tool')), content, id: extra, status: extra },
      { requiredKeys: ['role', 'content'] },
    ) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('function_call'), call_id: text, name: text, arguments: text, namespace: maybe(fc.string({ maxLength: 3 })), id: extra }, { requiredKeys: ['type', 'call_id', 'name', 'arguments'] }) },
    { weight: 3, arbitrary: fc.record({ type: fc.constant('function_call_output'), call_id: text, output: content }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('reasoning'), id: extra, summary: entries, content: entries, encrypted_content: maybe(fc.string({ maxLength: 4 })) }, { requiredKeys: ['type'] }) },
    { weight: 1, arbitrary: fc.record({ type: loose(fc.constantFrom('local_shell_call', 'custom_tool_call', 'item_reference', 'web_search_call')), id: text, input: extra }, { requiredKeys: ['type'] }) },
  ),
);
const functionTool = fc.record(
  { type: fc.constant('function'), name: loose(fc.string({ maxLength: 4 })), description: maybe(fc.string({ maxLength: 4 })), parameters: maybe(record), strict: maybe(fc.boolean()) },
  { requiredKeys: ['type', 'name'] },
);
const otherTool = fc.record({ type: loose(fc.constantFrom('web_search', 'custom', 'local_shell')), name: extra, format: extra }, { requiredKeys: ['type'] });
const tool = loose(
  fc.oneof(
    { weight: 4, arbitrary: functionTool },
    { weight: 2, arbitrary: otherTool },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('namespace'), name: loose(fc.string({ maxLength: 4 })), description: maybe(fc.string({ maxLength: 4 })), tools: loose(fc.array(loose(fc.oneof(functionTool, otherTool)), { maxLength: 2 })) }, { requiredKeys: ['type', 'name', 'tools'] }) },
  ),
);
const toolChoice = maybe(
  fc.oneof(
    fc.constantFrom('auto', 'none', 'required', 'sometimes'),
    fc.record({ type: fc.constant('function'), name: text }),
    fc.record({ type: loose(fc.constantFrom('web_search', 'allowed_tools')), tools: extra }, { requiredKeys: ['type'] }),
  ),
);
const textFormat = maybe(
  fc.oneof(
    fc.record({ type: fc.constantFrom('text', 'json_object', 'yaml') }),
    fc.record({ type: fc.constant('json_schema'), name: text, schema: record, description: maybe(fc.string({ maxLength: 4 })), strict: maybe(fc.boolean()) }, { requiredKeys: ['type', 'name', 'schema'] }),
  ),
);
const body = fc.record(
  {
    model: loose(fc.string({ minLength: 1, maxLength: 5 })),
    instructions: maybe(fc.string({ maxLength: 6 })),
    input: maybe(fc.oneof({ weight: 1, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 4, arbitrary: fc.array(item, { maxLength: 4 }) })),
    tools: maybe(fc.array(tool, { maxLength: 3 })),
    tool_choice: toolChoice,
    parallel_tool_calls: maybe(fc.boolean()),
    text: maybe(fc.record({ format: textFormat, verbosity: extra }, { requiredKeys: [] })),
    reasoning: maybe(fc.record({ effort: maybe(fc.constantFrom('none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max')), summary: extra }, { requiredKeys: [] })),
    max_output_tokens: maybe(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 1.5, 2 ** 60) })),
    temperature: maybe(fc.oneof({ weight: 9, arbitrary: fc.double({ min: 0, max: 2, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-0.1, 2.5, Number.POSITIVE_INFINITY) })),
    top_p: maybe(fc.double({ min: 0, max: 1, noNaN: true })),
    metadata: maybe(fc.oneof({ weight: 4, arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }) }, { weight: 1, arbitrary: fc.constant({ n: 1 }) })),
    user: maybe(fc.string({ maxLength: 4 })),
    safety_identifier: maybe(fc.string({ maxLength: 4 })),
    prompt_cache_key: maybe(fc.string({ maxLength: 4 })),
    stream: maybe(fc.boolean()),
    store: maybe(fc.boolean()),
    background: maybe(fc.boolean()),
    previous_response_id: maybe(fc.string({ maxLength: 4 })),
    include: extra,
    client_metadata: extra,
  },
  { requiredKeys: ['model'] },
);

describe('reading OpenAI Responses request bodies of the common shape without the schema', () => {
  it('reads the recorded Codex request as the schema does', () => {
    const read = readOpenAIResponsesRequest(codexRequest);
    expect(read).toBe(codexRequest);
    expect(read).toEqual(openAIResponsesRequestSchema.parse(codexRequest));
    expect(readResponsesInputItems(codexRequest.input)).toEqual(openAIResponsesRequestSchema.shape.input.parse(codexRequest.input));
  });

  it('never reads a body the schema rejects or would change, and reads what it takes exactly as the schema does', () => {
    expectReaderAgreesWithSchema(body, readOpenAIResponsesRequest, openAIResponsesRequestSchema, { runs: 8000, atLeast: 1000, compare: 'equal' });
  });

  it('never reads input items the schema rejects or would change', () => {
    expectReaderAgreesWithSchema(fc.array(item, { maxLength: 4 }), readResponsesInputItems, openAIResponsesRequestSchema.shape.input, { runs: 3000, atLeast: 1000, compare: 'equal' });
  });

  it('leaves images, malformed typed shapes and own __proto__ keys to the schema', () => {
    const base = { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text', text: 'hi' }] }] };
    expect(readOpenAIResponsesRequest(base)).toBe(base);
    expect(readOpenAIResponsesRequest({ ...base, input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'https://x/y.png' }] }] })).toBeUndefined();
    expect(readOpenAIResponsesRequest({ ...base, input: [{ type: 'function_call', call_id: 'c', name: 'f', arguments: {} }] })).toBeUndefined();
    expect(readOpenAIResponsesRequest({ ...base, input: [{ type: null, role: 'user', content: 'hi' }] })).toBeUndefined();
    expect(readOpenAIResponsesRequest({ ...base, tools: [{ type: 'function', name: '' }] })).toBeUndefined();
    expect(readOpenAIResponsesRequest({ ...base, text: { format: { type: 'json_schema', name: 'out' } } })).toBeUndefined();
    const parameters = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    expect(readOpenAIResponsesRequest({ ...base, tools: [{ type: 'function', name: 'f', parameters }] })).toBeUndefined();
    expect(readOpenAIResponsesRequest(withOwnProto(base))).toBeUndefined();
  });
});
