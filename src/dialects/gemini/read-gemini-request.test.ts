import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { geminiRequestSchema } from '../../wire/gemini/gemini-request-schema.js';
import { readGeminiRequest } from './read-gemini-request.js';

function json(url: URL): unknown {
  return JSON.parse(readFileSync(url, 'utf8')) as unknown;
}

const agentBody = (name: string): unknown => (json(new URL(`../../../test/agents/__fixtures__/${name}`, import.meta.url)) as { body: unknown }).body;

// Values that are sometimes right and sometimes wrong for a field, so both answers of the reader are exercised.
const scalar = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -2, max: 3 }),
  fc.double({ min: -1, max: 3, noNaN: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 1.5),
  fc.boolean(),
  fc.constant({}),
);
const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 200, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant([]) });
const text = loose(fc.string({ maxLength: 6 }));
const name = loose(fc.oneof({ weight: 100, arbitrary: fc.string({ minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.constant('') }));
const extra = fc.oneof({ weight: 100, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: scalar });
// A key the schema's plain objects would drop, on a few of them.
const withStray = (object: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> =>
  fc.tuple(object, fc.integer({ min: 0, max: 40 })).map(([value, dice]) => (dice === 0 ? { ...value, stray: 1 } : value));
const record = loose(fc.oneof(fc.constant({ type: 'object', properties: {} }), fc.constant({ type: 'OBJECT', properties: { city: { type: 'STRING' } } }), fc.constant({ city: 'Berlin' }), fc.constant({})));
const functionCall = loose(fc.record({ name, args: record, id: text, willContinue: extra }, { requiredKeys: ['name'] }));
const functionResponse = loose(fc.record({ name, response: record, id: text, scheduling: extra }, { requiredKeys: ['name'] }));
const part = loose(
  fc.oneof(
    { weight: 24, arbitrary: withStray(fc.record({ text, thought: loose(fc.boolean()), thoughtSignature: text }, { requiredKeys: ['text'] })) },
    { weight: 12, arbitrary: fc.record({ functionCall, thoughtSignature: text }, { requiredKeys: ['functionCall'] }) },
    { weight: 12, arbitrary: fc.record({ functionResponse }) },
    { weight: 1, arbitrary: fc.record({ inlineData: fc.constant({ mimeType: 'image/png', data: 'AAAA' }) }) },
    { weight: 1, arbitrary: fc.record({ fileData: fc.constant({ fileUri: 'gs://b/o.png', mimeType: 'image/png' }) }) },
  ),
);
const content = loose(withStray(fc.record({ role: loose(fc.oneof({ weight: 100, arbitrary: fc.constantFrom('user', 'model') }, { weight: 1, arbitrary: fc.constant('system') })), parts: loose(fc.array(part, { maxLength: 3 })) }, { requiredKeys: ['parts'] })));
const systemPart = fc.oneof({ weight: 10, arbitrary: fc.record({ text, thought: loose(fc.boolean()) }, { requiredKeys: ['text'] }) }, { weight: 1, arbitrary: part });
const systemInstruction = loose(withStray(fc.record({ role: loose(fc.constantFrom('user', 'system')), parts: loose(fc.array(systemPart, { maxLength: 2 })) }, { requiredKeys: ['parts'] })));
const declaration = loose(fc.record({ name, description: text, parameters: record, parametersJsonSchema: record, behavior: extra }, { requiredKeys: ['name'] }));
const tool = loose(
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ functionDeclarations: loose(fc.array(declaration, { maxLength: 3 })), googleSearch: extra }) },
    { weight: 1, arbitrary: fc.record({ googleSearch: fc.constant({}) }) },
  ),
);
const toolConfig = loose(
  fc.record({
    functionCallingConfig: loose(fc.record({ mode: loose(fc.oneof({ weight: 40, arbitrary: fc.constantFrom('AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED') }, { weight: 1, arbitrary: fc.constant('auto') })), allowedFunctionNames: loose(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })), stray: extra })),
    retrievalConfig: extra,
  }),
);
const number = (min: number, max: number): fc.Arbitrary<unknown> => loose(fc.oneof({ weight: 100, arbitrary: fc.double({ min, max, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(min - 0.5, max + 0.5) }));
const int = (min: number, max: number): fc.Arbitrary<unknown> => loose(fc.integer({ min, max }));
const thinkingConfig = loose(fc.record({ thinkingBudget: int(-1, 9000), includeThoughts: loose(fc.boolean()), thinkingLevel: loose(fc.oneof({ weight: 40, arbitrary: fc.constantFrom('LOW', 'HIGH', 'MINIMAL', 'MEDIUM', 'THINKING_LEVEL_UNSPECIFIED') }, { weight: 1, arbitrary: fc.constant('low') })), stray: extra }));
const generationConfig = loose(
  fc.record({
    temperature: number(0, 2),
    topP: number(0, 1),
    topK: loose(fc.oneof({ weight: 100, arbitrary: fc.integer({ min: 0, max: 64 }) }, { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) })),
    maxOutputTokens: int(1, 9000),
    stopSequences: loose(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 })),
    seed: loose(fc.oneof({ weight: 100, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.constant(2 ** 53) })),
    presencePenalty: number(-2, 2),
    frequencyPenalty: number(-2, 2),
    candidateCount: int(1, 2),
    responseMimeType: loose(fc.constantFrom('application/json', 'text/plain')),
    responseSchema: record,
    responseJsonSchema: record,
    thinkingConfig,
    responseModalities: extra,
  }),
);
const body = fc.record(
  {
    contents: loose(fc.array(content, { maxLength: 4 })),
    systemInstruction,
    tools: loose(fc.array(tool, { maxLength: 2 })),
    toolConfig,
    generationConfig,
    safetySettings: loose(fc.constant([{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }])),
    cachedContent: extra,
    labels: extra,
  },
  { requiredKeys: ['contents'] },
);

describe('reading Gemini request bodies of the common shape without the schema', () => {
  it('reads the recorded Gemini CLI turns and the SDK tool round trip as the schema does', () => {
    const bodies = [agentBody('gemini-cli-first-turn.json'), agentBody('gemini-cli-tool-result.json'), json(new URL('../../wire/gemini/__fixtures__/gemini-request-tool-roundtrip.json', import.meta.url))];
    for (const value of bodies) {
      const read = readGeminiRequest(value);
      expect(read).toBe(value);
      expect(read).toEqual(geminiRequestSchema.parse(value));
    }
  });

  it('never reads a body the schema rejects or would change, and reads what it takes exactly as the schema does', () => {
    expectReaderAgreesWithSchema(body, readGeminiRequest, geminiRequestSchema, { runs: 8000, atLeast: 2000, compare: 'equal' });
  });

  it('keeps top-level fields the schema passes through, and leaves media, dropped keys and own __proto__ keys to the schema', () => {
    const base = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };
    const extras = { ...base, safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }], cachedContent: 'cachedContents/1', labels: { team: 'a' } };
    expect(readGeminiRequest(base)).toBe(base);
    expect(readGeminiRequest(extras)).toBe(extras);
    expect(readGeminiRequest({ contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] }] })).toBeUndefined();
    expect(readGeminiRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }], stray: 1 }] })).toBeUndefined();
    expect(readGeminiRequest({ ...base, systemInstruction: { parts: [{ text: 'x' }], stray: 1 } })).toBeUndefined();
    expect(readGeminiRequest({ ...base, systemInstruction: { parts: [{ functionCall: { name: 'f' } }] } })).toBeUndefined();
    expect(readGeminiRequest({ ...base, generationConfig: { temperature: null } })).toBeUndefined();
    const proto = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    expect(readGeminiRequest({ contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: proto } }] }] })).toBeUndefined();
    expect(readGeminiRequest(JSON.parse('{"contents": [], "__proto__": {}}') as unknown)).toBeUndefined();
  });
});
