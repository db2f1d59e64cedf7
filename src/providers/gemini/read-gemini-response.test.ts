import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { geminiResponseSchema } from '../../wire/gemini/gemini-response-schema.js';
import { readGeminiResponse } from './read-gemini-response.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** Every JSON event of a recorded stream. */
function eventsOf(name: string): unknown[] {
  return fixture(name)
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as unknown);
}

// Values that are sometimes right and sometimes wrong for a field, so both answers of the reader are exercised.
const scalar = fc.oneof(fc.constant(null), fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 3 }), fc.boolean(), fc.constant({}));
const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 14, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant([]) });
const text = loose(fc.string({ maxLength: 6 }));
const count = loose(fc.nat(100));
const part = loose(
  fc.record(
    { text, thought: loose(fc.boolean()), thoughtSignature: text, functionCall: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant({ name: 'f', args: {} }) }) },
    { requiredKeys: [] },
  ),
);
const candidate = loose(
  fc.record(
    { content: loose(fc.record({ parts: loose(fc.array(part, { maxLength: 3 })), role: text }, { requiredKeys: [] })), finishReason: text, finishMessage: text, index: count, safetyRatings: scalar },
    { requiredKeys: [] },
  ),
);
const usage = loose(
  fc.record(
    { promptTokenCount: count, cachedContentTokenCount: count, candidatesTokenCount: count, thoughtsTokenCount: count, toolUsePromptTokenCount: count, totalTokenCount: count },
    { requiredKeys: [] },
  ),
);
const response = loose(
  fc.record(
    { candidates: loose(fc.array(candidate, { maxLength: 2 })), promptFeedback: loose(fc.record({ blockReason: text }, { requiredKeys: [] })), usageMetadata: usage, modelVersion: text, responseId: text },
    { requiredKeys: [] },
  ),
);

describe('reading common Gemini responses without the schema', () => {
  it('reads the recorded text stream and answer as the schema does, and leaves function calls to it', () => {
    for (const value of [...eventsOf('gemini-stream.sse'), JSON.parse(fixture('gemini-generate.json')) as unknown]) {
      const read = readGeminiResponse(value);
      expect(read, JSON.stringify(value)).toBeDefined();
      expect(read).toEqual(geminiResponseSchema.parse(value));
    }
    for (const value of eventsOf('gemini-function-call-stream.sse')) {
      const read = readGeminiResponse(value);
      if (read !== undefined) expect(read).toEqual(geminiResponseSchema.parse(value));
    }
    expect(readGeminiResponse(JSON.parse(fixture('gemini-function-call.json')) as unknown)).toBeUndefined();
  });

  it('never reads a response the schema rejects, and reads what it takes exactly as the schema does', () => {
    expectReaderAgreesWithSchema(response, readGeminiResponse, geminiResponseSchema, { runs: 8000, atLeast: 200, compare: 'equal' });
  });

  it('refuses null where the schema allows only a missing field', () => {
    expect(readGeminiResponse({ candidates: [{ content: { parts: [{ text: null }] } }] })).toBeUndefined();
    expect(readGeminiResponse({ usageMetadata: { totalTokenCount: null } })).toBeUndefined();
    expect(readGeminiResponse({ responseId: null })).toBeUndefined();
    expect(geminiResponseSchema.safeParse({ responseId: null }).success).toBe(false);
  });
});
