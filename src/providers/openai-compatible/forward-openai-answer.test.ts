import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { responseToEvents, seededRandom, type CanonicalRequest, type ProviderSettings, type StreamEvent, type Target } from '../../core/index.js';
import { HeldAnswerFrames } from '../shared/held-answer-frames.js';
import { forwardOpenAIAnswer } from './forward-openai-answer.js';
import { OpenAIStreamDecoder } from './openai-stream-decoder.js';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';
import { recordEvents, runForwarder as run, wireText } from '../../../test/support/answer-forwarding.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8');
}

function targetOf(type: ProviderSettings['type'], options: Record<string, unknown> = {}): Target {
  return { provider: { id: 'up', type, baseUrl: 'http://127.0.0.1:1/v1', headers: {}, options } as ProviderSettings, model: 'gpt-4.1-nano' };
}

function requestOf(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'my-alias', messages: [], stream: true, passthrough: { format: 'openai-chat', body: {} }, ...overrides };
}

const forwarder = (request = requestOf(), target = targetOf('openai')) => forwardOpenAIAnswer(request, target, 'req-1')!;

function slowEvents(text: string): StreamEvent[] {
  const decoder = new OpenAIStreamDecoder('up');
  const events: StreamEvent[] = [];
  createParser({ onEvent: (event) => events.push(...decoder.push(event)) }).feed(text);
  return events.concat(decoder.end());
}

/**
 * The batches the forwarder gave when it decoded every frame: each frame through the translating decoder, then
 * forwarded renamed (re-serialised here: compare with `frames`), until the decoder's finish or error.
 */
function parsingPath(pieces: string[]): StreamEvent[][] {
  const decoder = new OpenAIStreamDecoder('up');
  const out = new HeldAnswerFrames();
  let done = false;
  const close = (): void => {
    if (!done) out.frames += 'data: [DONE]\n\n';
    done = true;
  };
  const parser = createParser({
    onEvent: (event) => {
      if (out.ended || !out.accept(decoder.push(event))) return;
      const data = event.data.trim();
      if (data === '[DONE]') close();
      else if (data !== '') out.frames += `data: ${JSON.stringify({ ...(JSON.parse(data) as object), id: 'chatcmpl-req-1', model: 'my-alias' })}\n\n`;
    },
  });
  const batches = pieces.map((piece) => {
    parser.feed(piece);
    return out.flush();
  });
  out.take(decoder.end());
  if (!out.failed) close();
  return [...batches, out.flush()];
}

/** What a batch says: its forwarded frames, parsed, and its record events. */
function batchView(batch: StreamEvent[]): { frames: unknown[]; record: StreamEvent[] } {
  return { frames: frames(wireText(batch)), record: recordEvents(batch) };
}

function frames(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => (frame === 'data: [DONE]' ? '[DONE]' : (JSON.parse(frame.slice('data: '.length)) as unknown)));
}

describe('forwardOpenAIAnswer', () => {
  it('forwards only to OpenAI clients on vendors answering in OpenAI shapes', () => {
    expect(forwardOpenAIAnswer(requestOf(), targetOf('openai'), 'r')).toBeDefined();
    expect(forwardOpenAIAnswer(requestOf(), targetOf('openai-compatible'), 'r')).toBeDefined();
    expect(forwardOpenAIAnswer(requestOf(), targetOf('mistral'), 'r')).toBeUndefined();
    expect(forwardOpenAIAnswer(requestOf(), targetOf('groq'), 'r')).toBeUndefined();
    expect(forwardOpenAIAnswer(requestOf({ passthrough: { format: 'anthropic-messages', body: {} } }), targetOf('openai'), 'r')).toBeUndefined();
    expect(forwardOpenAIAnswer(requestOf({ passthrough: undefined }), targetOf('openai'), 'r')).toBeUndefined();
  });

  it('forwards a JSON answer with the gateway id and the client model, and the usage and finish the translation reads', () => {
    const text = fixture('openai-chat.json');
    const body = JSON.parse(text) as object;
    const events = forwarder(requestOf({ stream: false })).forwardBody(text, body)!;
    const slow = responseToEvents(parseOpenAIChatResponse(body, 'up', 'gpt-4.1-nano'));
    expect(recordEvents(events)).toEqual(recordEvents(slow));
    expect(JSON.parse(wireText(events))).toEqual({ ...body, id: 'chatcmpl-req-1', model: 'my-alias' });
  });

  it('translates a JSON answer whose forwarded shape would differ: a refusal, a `reasoning` field, an unnamed tool call', () => {
    const answer = (message: Record<string, unknown>) => ({ id: 'x', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: null, ...message }, finish_reason: 'stop' }] });
    for (const message of [{ refusal: 'no' }, { reasoning: 'hmm' }, { tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }]) {
      const body = answer(message);
      expect(forwarder().forwardBody(JSON.stringify(body), body)).toBeUndefined();
    }
    const withNamedCall = answer({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] });
    expect(forwarder().forwardBody(JSON.stringify(withNamedCall), withNamedCall)).toBeDefined();
  });

  it('forwards every frame of a recorded stream renamed, with the record events the translating decoder gives', () => {
    const text = fixture('openai-chat-stream.sse');
    const events = run(forwarder(requestOf({ includeUsage: true })), [text]).flat();
    expect(recordEvents(events)).toEqual(recordEvents(slowEvents(text)));
    const sent = frames(wireText(events));
    const upstream = frames(text);
    expect(sent).toHaveLength(upstream.length);
    sent.forEach((frame, i) => {
      const original = upstream[i];
      expect(frame).toEqual(original === '[DONE]' ? '[DONE]' : { ...(original as object), id: 'chatcmpl-req-1', model: 'my-alias' });
    });
  });

  it('drops the usage frame the client did not ask for (the gateway always asks the upstream)', () => {
    const text = fixture('openai-chat-stream.sse');
    const events = run(forwarder(), [text]).flat();
    const sent = frames(wireText(events));
    expect(sent).toHaveLength(frames(text).length - 1);
    expect(sent.some((frame) => typeof frame === 'object' && frame !== null && (frame as { choices: unknown[] }).choices.length === 0)).toBe(false);
    expect(recordEvents(events)).toEqual(recordEvents(slowEvents(text)));
  });

  it('forwards tool-call streams of every forwarded vendor with the same record events', () => {
    for (const name of ['openai-tool-call-stream.sse', 'deepseek-tool-call-stream.sse', 'qwen-tool-call-stream.sse', 'deepseek-stream.sse']) {
      const text = fixture(name);
      const events = run(forwarder(requestOf({ includeUsage: true })), [text]).flat();
      expect(recordEvents(events), name).toEqual(recordEvents(slowEvents(text)));
      expect(frames(wireText(events)).length, name).toBe(frames(text).length);
    }
  });

  it('holds frames until the first content, then sends one wire event per upstream chunk', () => {
    const text = fixture('openai-chat-stream.sse');
    const pieces = text.split('\n\n').map((frame) => `${frame}\n\n`);
    const batches = run(forwarder(), pieces);
    // The role chunk carries no content: it leaves with the first text.
    expect(batches[0]).toEqual([]);
    expect(batches[1]!.map((event) => event.type)).toEqual(['wire']);
    expect(wireText(batches[1]!).match(/^data: /gm)).toHaveLength(2);
    const together = run(forwarder(), [text]);
    expect(together[0]!.filter((event) => event.type === 'wire')).toHaveLength(1);
  });

  it('sends nothing of a stream that fails before content, so the engine can fail over unseen', () => {
    const role = '{"id":"x","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}';
    const events = run(forwarder(), [`data: ${role}\n\n`, 'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n']).flat();
    expect(events.map((event) => event.type)).toEqual(['error']);
  });

  it('ends a truncated stream with the frames sent so far and the error the translation reports', () => {
    const delta = '{"id":"x","model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}';
    const events = run(forwarder(), [`data: ${delta}\n\n`]).flat();
    expect(events.map((event) => event.type)).toEqual(['wire', 'error']);
    expect(recordEvents(events)).toEqual(recordEvents(slowEvents(`data: ${delta}\n\n`)));
  });

  it('closes a stream that finished without [DONE] as the translating path does, and only once', () => {
    const last = '{"id":"x","model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}';
    const unterminated = run(forwarder(), [`data: ${last}\n\n`]).flat();
    expect(recordEvents(unterminated)).toEqual(recordEvents(slowEvents(`data: ${last}\n\n`)));
    expect(frames(wireText(unterminated)).at(-1)).toBe('[DONE]');
    const terminated = run(forwarder(), [`data: ${last}\n\ndata: [DONE]\n\n`]).flat();
    expect(frames(wireText(terminated)).filter((frame) => frame === '[DONE]')).toHaveLength(1);
  });

  it('drops what the upstream sends after [DONE], as the translating decoder does: the client sees one [DONE], last', () => {
    const text = fixture('openai-chat-stream.sse');
    const delta = '{"id":"x","model":"m","choices":[{"index":0,"delta":{"content":"late"},"finish_reason":null}]}';
    const usage = '{"id":"x","model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}';
    const after = [`data: ${delta}\n\n`, `data: ${usage}\n\n`, 'data: {"error":{"message":"late","type":"server_error"}}\n\n', 'event: error\ndata: {}\n\n', 'data: [DONE]\n\n'];
    for (const pieces of [[text + after.join('')], [text, ...after]]) {
      const events = run(forwarder(requestOf({ includeUsage: true })), pieces).flat();
      const sent = frames(wireText(events));
      expect(sent).toHaveLength(frames(text).length);
      expect(sent.indexOf('[DONE]')).toBe(sent.length - 1);
      expect(recordEvents(events)).toEqual(recordEvents(slowEvents(pieces.join(''))));
    }
  });

  it('ignores a malformed frame after [DONE], as the translating decoder does, instead of throwing', () => {
    const text = fixture('openai-chat-stream.sse');
    for (const malformed of ['{"id":"chatcmpl-up","choices":[{"index":0,"delta":{"content":"cut', 'not json', '{"usage":{"prompt_tokens":1']) {
      const upstream = `${text}data: ${malformed}\n\n`;
      const events = run(forwarder(), [upstream]).flat();
      expect(frames(wireText(events)).at(-1)).toBe('[DONE]');
      expect(recordEvents(events)).toEqual(recordEvents(slowEvents(upstream)));
      expect(events.some((event) => event.type === 'error')).toBe(false);
    }
  });

  it('ends a stream with a malformed frame before [DONE] with the frames sent so far and the upstream\'s malformed-response error', () => {
    const delta = '{"id":"x","model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}';
    for (const malformed of ['{"id":"x","choices":[{"index":0,"delta":{"content":"cut', 'not json']) {
      const upstream = `data: ${delta}\n\ndata: ${malformed}\n\ndata: ${delta}\n\ndata: [DONE]\n\n`;
      const events = run(forwarder(), [upstream]).flat();
      expect(events.map((event) => event.type)).toEqual(['wire', 'error']);
      expect(frames(wireText(events))).toEqual([{ ...(JSON.parse(delta) as object), id: 'chatcmpl-req-1', model: 'my-alias' }]);
      expect(recordEvents(events)).toEqual(recordEvents(slowEvents(upstream)));
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_malformed_response', provider: 'up' } });
    }
  });

  it('re-serialises a frame whose id or model is not a top-level string, and a frame spread over several data lines', () => {
    const events = run(forwarder(), ['data: {"choices":[{"index":0,"delta":{"content":"a"},\ndata: "finish_reason":null}]}\n\n', 'data: [DONE]\n\n']).flat();
    const [first] = frames(wireText(events));
    expect(first).toEqual({ choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }], id: 'chatcmpl-req-1', model: 'my-alias' });
  });

  it('leaves plain text deltas unparsed and gives, chunk by chunk, the frames, record events and commit point of the parsing path, and the translating decoder\'s record events', () => {
    const chunk = (choice: string, extra = '') => `{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1,"model":"up-model","choices":[${choice}]${extra}}`;
    const text = (content: string) => chunk(`{"index":0,"delta":{"content":"${content}"},"logprobs":null,"finish_reason":null}`, `,"usage":null,"obfuscation":"${content.length}x"`);
    const vocabulary = [
      text('Hel'),
      text('lo \\"you\\" \\u00e9 😀'),
      text(''),
      '{"choices":[{"finish_reason":null,"index":0,"delta":{"content":"llama"}}],"created":1,"id":"chatcmpl-l","model":"q","timings":{"predicted_ms":1.5}}',
      chunk('{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"reasoning_content":"thinking"},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]},"finish_reason":null}'),
      chunk('{"index":0,"delta":{"refusal":"no"},"finish_reason":null}'),
      chunk('{"index":0,"delta":{},"finish_reason":"stop"}'),
      chunk('{"index":0,"delta":{"content":"bye"},"finish_reason":"length"}'),
      chunk('', ',"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}'),
      text('Hel').replace('"usage":null', '"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}'),
      '{"error":{"message":"overloaded","type":"server_error"}}',
      '{"id":"chatcmpl-up","choices":[{"index":0,"delta":{"content":"cut',
    ];
    const random = seededRandom(1717);
    const pick = (): string => {
      // Mostly text, as real streams are.
      const index = random.next() < 0.5 ? Math.floor(random.next() * 4) : Math.floor(random.next() * vocabulary.length);
      return vocabulary[index]!;
    };
    for (let stream = 0; stream < 400; stream++) {
      const sent = [random.next() < 0.7 ? vocabulary[4]! : pick()];
      // [DONE] anywhere, more than once too: whatever follows it is dropped.
      for (let count = Math.floor(random.next() * 12); count > 0; count--) sent.push(random.next() < 0.08 ? '[DONE]' : pick());
      if (random.next() < 0.5) sent.push('[DONE]');
      const events = sent.map((data) => (data.startsWith('{"error"') && random.next() < 0.5 ? `event: error\ndata: ${data}\n\n` : `data: ${data}\n\n`));
      const pieces: string[] = [];
      for (const event of events) {
        if (pieces.length > 0 && random.next() < 0.4) pieces[pieces.length - 1] += event;
        else pieces.push(event);
      }
      const label = sent.join('\n');
      const batches = run(forwarder(requestOf({ includeUsage: true })), pieces);
      expect(batches.map(batchView), label).toEqual(parsingPath(pieces).map(batchView));
      expect(recordEvents(batches.flat()), label).toEqual(recordEvents(slowEvents(pieces.join(''))));
      const forwarded = frames(wireText(batches.flat()));
      expect(forwarded.filter((frame) => frame === '[DONE]').length, label).toBeLessThanOrEqual(1);
      if (forwarded.includes('[DONE]')) expect(forwarded.at(-1), label).toBe('[DONE]');
    }
  });
});

