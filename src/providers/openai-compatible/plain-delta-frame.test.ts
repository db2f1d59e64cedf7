import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { PlainDeltaFrames, type PlainDeltaFrame } from './plain-delta-frame.js';
import { plainTextDelta } from './plain-text-delta.js';

/** What the decoder's parsing path makes of a frame: 'text' or 'empty' when it takes its plain path, else undefined. */
function parsed(text: string): PlainDeltaFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value === 'object' && value !== null && 'error' in value && value.error !== null && value.error !== undefined) return undefined;
  const delta = plainTextDelta(value);
  return delta === undefined ? undefined : delta === '' ? 'empty' : 'text';
}

/** Plain text deltas as real servers word them: field order, extra fields and whitespace differ. */
const PLAIN = {
  openai:
    '{"id":"chatcmpl-Cw7W","object":"chat.completion.chunk","created":1767967976,"model":"gpt-4.1-nano-2025-04-14","service_tier":"default","system_fingerprint":"fp_7f8eb7d1f9","choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"nhq8y1o9M"}',
  llamaCpp:
    '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Hello"}}],"created":1700000000,"id":"chatcmpl-x","model":"qwen2.5","system_fingerprint":"b4567-ab12","object":"chat.completion.chunk","timings":{"prompt_n":1,"predicted_ms":12.5,"predicted_per_second":8.1e1}}',
  vllm: '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" world"},"logprobs":{"content":[{"token":" world","logprob":-0.25,"bytes":[32,119],"top_logprobs":[]}]},"finish_reason":null,"stop_reason":null}]}',
  ollama: '{"id":"chatcmpl-9","object":"chat.completion.chunk","created":1,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}',
  qwen: '{"choices":[{"delta":{"content":"晴","refusal":null,"tool_calls":null,"reasoning_content":null},"finish_reason":null,"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1770764938,"system_fingerprint":null,"model":"qwen3-max","id":"chatcmpl-8e24"}',
  spaced: '{ "id" : "x" ,\n "choices" : [ { "index" : null , "delta" : { "content" : "a" } } ] , "error" : null }',
};

describe('PlainDeltaFrames', () => {
  it('recognises plain text deltas whatever their field order, extra fields and spacing', () => {
    for (const [name, frame] of Object.entries(PLAIN)) {
      expect(new PlainDeltaFrames().read(frame), name).toBe('text');
      expect(parsed(frame), name).toBe('text');
    }
  });

  it('tells a delta with empty content, which appends nothing', () => {
    const frame = '{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}';
    expect(new PlainDeltaFrames().read(frame)).toBe('empty');
  });

  it('reads escaped quotes, unicode escapes and raw non-ASCII text as text', () => {
    for (const content of ['say \\"hi\\"', '\\u00e9t\\u00E9 \\ud83d\\ude00', 'tab\\there\\nline \\\\ \\/', '日本語 😀', '\\"']) {
      const frame = `{"id":"x","choices":[{"index":0,"delta":{"content":"${content}"},"finish_reason":null}]}`;
      expect(new PlainDeltaFrames().read(frame), content).toBe('text');
      expect(parsed(frame), content).toBe('text');
    }
  });

  it('leaves every frame that carries more than text to the parse', () => {
    const frame = (choice: string, extra = '') => `{"id":"x","choices":[${choice}]${extra}}`;
    const notPlain = [
      frame('{"index":0,"delta":{"content":"a"},"finish_reason":null}', ',"usage":{"prompt_tokens":1}'),
      frame('{"index":0,"delta":{},"finish_reason":"stop"}'),
      frame('{"index":0,"delta":{"content":"a"},"finish_reason":"length"}'),
      frame('{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":""}}]},"finish_reason":null}'),
      frame('{"index":0,"delta":{"content":null,"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}'),
      frame('{"index":0,"delta":{"reasoning_content":"hmm"}}'),
      frame('{"index":0,"delta":{"content":"","reasoning":"hmm"}}'),
      frame('{"index":0,"delta":{"refusal":"no"}}'),
      frame('{"index":0,"delta":{"content":[{"type":"text","text":"a"}]}}'),
      frame('{"index":0,"delta":{"content":null}}'),
      frame('{"index":0,"delta":{"role":"assistant"}}'),
      frame('{"index":1,"delta":{"content":"a"}}'),
      frame('{"index":0.0,"delta":{"content":"a"}}'),
      frame('{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}'),
      frame(''),
      frame('{"index":0,"delta":{"content":"a"}}', ',"error":{"message":"overloaded"}'),
      frame('{"index":0,"delta":{"content":"a"}}', ',"x_groq":{"id":"req_1"}'),
      frame('{"index":0,"delta":{"content":"a"}}', ',"x_groq":null'),
      // A repeated key: JSON.parse keeps the last one.
      frame('{"index":0,"delta":{"content":"a"}}', ',"usage":null,"usage":{"total_tokens":3}'),
      frame('{"index":0,"finish_reason":null,"delta":{"content":"a"},"finish_reason":"stop"}'),
      frame('{"index":0,"delta":{"content":"a","content":null}}'),
      // An escaped key may spell a key the record reads.
      frame('{"index":0,"delta":{"content":"a"}}', ',"us\\u0061ge":{"total_tokens":3}'),
      '{"error":{"message":"overloaded","type":"server_error"}}',
      '{"id":"x"}',
      '[DONE]',
      '',
    ];
    for (const text of notPlain) expect(new PlainDeltaFrames().read(text), text).toBeUndefined();
  });

  it('leaves text that is not valid JSON to the parse, which reports it', () => {
    const valid = '{"id":"x","n":-1.5e+3,"ok":true,"choices":[{"index":0,"delta":{"content":"a"}}]}';
    expect(new PlainDeltaFrames().read(valid)).toBe('text');
    const invalid = [
      valid.replace('"x"', '"x",'),
      valid.replace('-1.5e+3', '01'),
      valid.replace('-1.5e+3', '1.'),
      valid.replace('-1.5e+3', '-'),
      valid.replace('-1.5e+3', '1e'),
      valid.replace('-1.5e+3', 'NaN'),
      valid.replace('true', 'tru'),
      valid.replace('"a"', '"a\\x"'),
      valid.replace('"a"', '"a\\u00g0"'),
      valid.replace('"a"', '"a\tb"'),
      valid.replace('"a"', "'a'"),
      `${valid} x`,
      `${valid}}`,
      valid.slice(0, -1),
      `{"choices":[{"delta":{"content":"a"},"deep":${'['.repeat(100)}${']'.repeat(100)}}]}`,
    ];
    for (const text of invalid) expect(new PlainDeltaFrames().read(text), text).toBeUndefined();
  });

  it('recognises the next frames of a stream by their shape, and nothing that differs from it where the record looks', () => {
    const frames = new PlainDeltaFrames();
    expect(frames.read(PLAIN.openai)).toBe('text');
    expect(frames.read(PLAIN.openai)).toBe('text');
    const next = PLAIN.openai.replace('"Hel"', '"lo, \\"world\\""').replace('nhq8y1o9M', 'Zx').replace('1767967976', '1767967977');
    expect(frames.read(next)).toBe('text');
    expect(frames.read(PLAIN.openai.replace('"Hel"', '""'))).toBe('empty');
    expect(frames.read(PLAIN.openai.replace('"finish_reason":null', '"finish_reason":"stop"'))).toBeUndefined();
    expect(frames.read(PLAIN.openai.replace('"index":0', '"index":1'))).toBeUndefined();
    expect(frames.read(PLAIN.openai.replace('"usage":null', '"usage":{"total_tokens":1}'))).toBeUndefined();
    expect(frames.read(PLAIN.openai.replace('"Hel"', '"a\u0001"'))).toBeUndefined();
    expect(frames.read(PLAIN.openai.replace('1767967976', '0767967976'))).toBeUndefined();
  });

  it('answers as the parse would for mutated frames: whatever it recognises parses to the same plain delta', () => {
    const random = seededRandom(17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
    const pieces = ['"', '\\', ',', ':', '{', '}', '[', ']', ' ', '0', '1', '-', '.', 'e', 'null', '"usage":{', '"finish_reason":"stop"', '\\u', '\u0001', 'x'];
    const sources = [...Object.values(PLAIN), '{"id":"x","choices":[{"index":0,"delta":{"content":""}}]}'];
    let recognised = 0;
    for (let round = 0; round < 4000; round++) {
      const source = pick(sources);
      // A reader that has learnt the source's shape (a shape read twice is compiled), so that mutations meet the
      // template as well as the scan.
      const frames = new PlainDeltaFrames();
      frames.read(source);
      frames.read(source);
      let text = source;
      for (let edits = 1 + Math.floor(random.next() * 3); edits > 0; edits--) {
        const at = Math.floor(random.next() * text.length);
        const cut = Math.floor(random.next() * 3);
        text = text.slice(0, at) + (random.next() < 0.8 ? pick(pieces) : '') + text.slice(at + cut);
      }
      const read = frames.read(text);
      if (read !== undefined) {
        recognised++;
        expect(parsed(text), text).toBe(read);
      }
    }
    // The mutations keep enough frames plain for the comparison to mean something.
    expect(recognised).toBeGreaterThan(400);
  });
});
