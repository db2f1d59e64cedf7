import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectReaderAgreesWithSchema } from '../../../test/support/reader-agrees-with-schema.js';
import { openAIChatChunkSchema } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { readOpenAIChunk } from './read-openai-chunk.js';

const STREAMS = ['openai-chat-stream.sse', 'openai-tool-call-stream.sse', 'deepseek-stream.sse', 'deepseek-tool-call-stream.sse', 'qwen-tool-call-stream.sse', 'mistral-tool-call-stream.sse'];

/** Every JSON chunk of a recorded stream. */
function chunksOf(name: string): unknown[] {
  const text = readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.slice(5).trim() !== '[DONE]')
    .map((line) => JSON.parse(line.slice(5)) as unknown);
}

// Values that are sometimes right and sometimes wrong for a field, so both answers of the reader are exercised.
const scalar = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string({ maxLength: 4 }), fc.integer({ min: -2, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const loose = <T>(right: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 14, arbitrary: right }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.constant([]) });
const text = loose(fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)));
const count = loose(fc.oneof(fc.nat(100), fc.constant(null)));
const usage = loose(
  fc.record(
    { prompt_tokens: count, completion_tokens: count, prompt_cache_hit_tokens: count, prompt_tokens_details: loose(fc.record({ cached_tokens: count })), completion_tokens_details: loose(fc.record({ reasoning_tokens: count })), total_tokens: count },
    { requiredKeys: [] },
  ),
);
const toolCall = loose(
  fc.record({ index: loose(fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(null))), id: text, type: text, function: loose(fc.record({ name: text, arguments: text }, { requiredKeys: [] })) }, { requiredKeys: [] }),
);
const delta = loose(
  fc.record(
    {
      role: text,
      content: loose(fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null), fc.constant([{ type: 'text', text: 'x' }]))),
      refusal: text,
      reasoning_content: text,
      tool_calls: loose(fc.array(toolCall, { maxLength: 3 })),
      extra: scalar,
    },
    { requiredKeys: [] },
  ),
);
const choice = loose(fc.record({ index: count, delta, finish_reason: text, logprobs: scalar }, { requiredKeys: [] }));
const chunk = loose(
  fc.record(
    { id: text, object: text, created: count, model: text, choices: loose(fc.array(choice, { maxLength: 3 })), usage, x_groq: loose(fc.record({ usage })), obfuscation: scalar },
    { requiredKeys: [] },
  ),
);

describe('reading common OpenAI stream chunks without the schema', () => {
  it('reads every chunk of the recorded streams as the schema does', () => {
    for (const name of STREAMS) {
      for (const value of chunksOf(name)) {
        const read = readOpenAIChunk(value);
        expect(read, `${name}: ${JSON.stringify(value)}`).toBeDefined();
        expect(read).toEqual(openAIChatChunkSchema.parse(value));
      }
    }
  });

  it('never reads a chunk the schema rejects, and reads what it takes exactly as the schema does', () => {
    expectReaderAgreesWithSchema(chunk, readOpenAIChunk, openAIChatChunkSchema, { runs: 8000, atLeast: 200, compare: 'equal' });
  });

  it('leaves list content, Groq usage and malformed fields to the schema', () => {
    const base = { id: 'c', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: null }] };
    expect(readOpenAIChunk(base)).toBe(base);
    expect(readOpenAIChunk({ ...base, choices: [{ index: 0, delta: { content: [{ type: 'text', text: 'x' }] } }] })).toBeUndefined();
    expect(readOpenAIChunk({ ...base, x_groq: { usage: { prompt_tokens: 1 } } })).toBeUndefined();
    expect(readOpenAIChunk({ ...base, usage: { prompt_tokens: '3' } })).toBeUndefined();
    expect(readOpenAIChunk({ ...base, choices: [{ delta: { tool_calls: [{ index: -1 }] } }] })).toBeUndefined();
    expect(readOpenAIChunk({ ...base, choices: [{ delta: { tool_calls: [{ index: 0.5 }] } }] })).toBeUndefined();
    // zod's int() stops at Number.MAX_SAFE_INTEGER; a fast-check seed found the reader taking 2 ** 53.
    expect(readOpenAIChunk({ ...base, choices: [{ delta: { tool_calls: [{ index: 2 ** 53 }] } }] })).toBeUndefined();
    expect(readOpenAIChunk([base])).toBeUndefined();
  });
});
