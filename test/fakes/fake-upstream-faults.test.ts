import { afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream } from './index.js';
import type { FakeFormat, FakeUpstream, Script } from './index.js';

let fakes: FakeUpstream[] = [];

async function start(format: FakeFormat, defaultScript?: Script): Promise<FakeUpstream> {
  const fake = await startFakeUpstream(format, defaultScript === undefined ? {} : { defaultScript });
  fakes.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(fakes.map((fake) => fake.close()));
  fakes = [];
});

const STREAM_PATH: Record<FakeFormat, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  gemini: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
};
const JSON_PATH: Record<FakeFormat, string> = {
  ...STREAM_PATH,
  gemini: '/v1beta/models/gemini-2.5-flash:generateContent',
};

function post(fake: FakeUpstream, format: FakeFormat, stream: boolean, signal?: AbortSignal): Promise<Response> {
  const body = JSON.stringify({ model: 'test-model', stream, messages: [{ role: 'user', content: 'Hi' }] });
  const path = stream ? STREAM_PATH[format] : JSON_PATH[format];
  return fetch(`${fake.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, signal });
}

/** Reads the body until `done` says enough has arrived, returning the text seen so far. */
async function readUntil(response: Response, done: (text: string) => boolean): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('response has no body');
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

const FORMATS: FakeFormat[] = ['openai', 'anthropic', 'gemini'];

describe('stream framing matches each provider', () => {
  it.each(FORMATS)('%s frames every event like its recording', async (format) => {
    const fake = await start(format, { kind: 'tool-calls', calls: [{ name: 'f', arguments: { a: 1 } }], text: 'x y' });
    const response = await post(fake, format, true);
    const text = await response.text();
    if (format === 'openai') {
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      for (const event of text.split('\n\n').slice(0, -1)) expect(event).toMatch(/^data: (\{.*\}|\[DONE\])$/s);
    } else if (format === 'anthropic') {
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const events = text.split('\n\n').slice(0, -1);
      expect(events).toContain('event: ping\ndata: {"type": "ping"}');
      for (const event of events) {
        const [name, data] = event.split('\n');
        expect(name?.slice('event: '.length)).toBe(JSON.parse(data?.slice('data: '.length) ?? '').type);
      }
      expect(events.at(-1)).toMatch(/^event: message_stop\n/);
    } else {
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      expect(text.split('\r\n\r\n').slice(0, -1).every((event) => event.startsWith('data: {'))).toBe(true);
    }
  });
});

describe('fault scripts', () => {
  it.each(FORMATS)('%s truncated-sse streams N deltas then ends without a terminator', async (format) => {
    const fake = await start(format, { kind: 'truncated-sse', chunks: 2, text: 'alpha beta gamma delta' });
    const text = await (await post(fake, format, true)).text();
    expect(text).toContain('alpha');
    expect(text).toContain(' beta');
    expect(text).not.toContain(' gamma');
    expect(text).not.toMatch(/\[DONE\]|message_stop|finishReason|finish_reason":"stop/);
    expect(fake.requests[0]?.closedEarly).toBe(false);
  });

  it.each(FORMATS)('%s malformed-after-start streams N deltas, then an event that is not JSON, then ends', async (format) => {
    const fake = await start(format, { kind: 'malformed-after-start', chunksBefore: 1, text: 'alpha beta' });
    const text = await (await post(fake, format, true)).text();
    expect(text).toContain('alpha');
    expect(text).not.toContain(' beta');
    const last = text.trimEnd().split('\n').at(-1) ?? '';
    expect(last.startsWith('data: ')).toBe(true);
    expect(() => JSON.parse(last.slice('data: '.length))).toThrow();
  });

  it.each(FORMATS)('%s text streams send trailing payloads as events after the end marker', async (format) => {
    const fake = await start(format, { kind: 'text', text: 'alpha', trailing: ['{"late":1}', 'not json'] });
    const text = await (await post(fake, format, true)).text();
    const end = Math.max(text.indexOf('[DONE]'), text.indexOf('message_stop'), text.indexOf('"finishReason"'));
    expect(end).toBeGreaterThan(0);
    expect(text.indexOf('data: {"late":1}')).toBeGreaterThan(end);
    expect(text.trimEnd().endsWith('data: not json')).toBe(true);
  });

  it('reset-mid-body sends headers and part of the body, then destroys the socket', async () => {
    const fake = await start('anthropic', { kind: 'reset-mid-body', afterBytes: 40 });
    const response = await post(fake, 'anthropic', true);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
    expect(fake.requests[0]?.closedEarly).toBe(false);
  });

  it('malformed-json answers 200 with a body that does not parse, streaming or not', async () => {
    const fake = await start('openai', { kind: 'malformed-json' });
    const plain = await post(fake, 'openai', false);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/json');
    const body = await plain.text();
    expect(() => JSON.parse(body)).toThrow();
    const streamed = await (await post(fake, 'openai', true)).text();
    expect(streamed.startsWith('data: ')).toBe(true);
    expect(() => JSON.parse(streamed.slice('data: '.length))).toThrow();
  });

  it('wrong-content-type answers 200 with an HTML page', async () => {
    const fake = await start('gemini', { kind: 'wrong-content-type' });
    const response = await post(fake, 'gemini', false);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('error-after-start on a non-streaming request cuts the JSON body by destroying the socket', async () => {
    const fake = await start('openai', { kind: 'error-after-start', chunksBefore: 1, text: 'a b' });
    const response = await post(fake, 'openai', false);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('error scripts merge extra headers and send a custom body verbatim', async () => {
    const fake = await start('anthropic', {
      kind: 'error',
      status: 429,
      body: '{"custom":true}',
      headers: { 'retry-after': '7' },
    });
    const response = await post(fake, 'anthropic', false);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.text()).toBe('{"custom":true}');
  });
});

describe('client aborts and server lifecycle', () => {
  it('detects a client abort during a stalled stream', async () => {
    const fake = await start('openai', { kind: 'stall-after', chunks: 2, text: 'one two three' });
    const controller = new AbortController();
    const response = await post(fake, 'openai', true, controller.signal);
    const seen = await readUntil(response, (text) => text.includes(' two'));
    expect(seen).not.toContain('three');
    expect(fake.requests[0]?.closedEarly).toBe(false);
    controller.abort();
    await fake.waitForClose(0, 2_000);
    expect(fake.requests[0]?.closedEarly).toBe(true);
  });

  it('stops a paced stream as soon as the client leaves during the time-to-first-token wait', async () => {
    const fake = await start('anthropic', { kind: 'text', text: 'slow reply', ttftMs: 60_000 });
    fake.enqueue({ kind: 'text', text: ['a', 'b', 'c'], ttftMs: 1, delayMs: 1 });
    const paced = await (await post(fake, 'anthropic', true)).text();
    expect(paced.match(/text_delta/g)).toHaveLength(3);
    const controller = new AbortController();
    const response = await post(fake, 'anthropic', true, controller.signal);
    await readUntil(response, (text) => text.includes('event: ping'));
    controller.abort();
    await fake.waitForClose(1, 2_000);
  });

  it('holds hang-before-headers until the client gives up', async () => {
    const fake = await start('gemini', { kind: 'hang-before-headers' });
    const controller = new AbortController();
    const pending = post(fake, 'gemini', true, controller.signal);
    await fake.waitForRequests(1, 2_000);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await fake.waitForClose(0, 2_000);
  });

  it('close() returns promptly while a response hangs, without recording a client abort', async () => {
    const fake = await start('anthropic', { kind: 'hang-before-headers' });
    const pending = post(fake, 'anthropic', false);
    await fake.waitForRequests(1, 2_000);
    await fake.close();
    await expect(pending).rejects.toThrow();
    expect(fake.requests[0]?.closedEarly).toBe(false);
  });

  it('consumes enqueued scripts in order, then falls back to the default', async () => {
    const fake = await start('openai');
    fake.setDefault({ kind: 'text', text: 'default' });
    fake.enqueue({ kind: 'text', text: 'first' }, { kind: 'error', status: 500 });
    fake.enqueue({ kind: 'text', text: 'third' });
    const statuses: number[] = [];
    const contents: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const response = await post(fake, 'openai', false);
      statuses.push(response.status);
      const body: unknown = await response.json();
      contents.push(JSON.stringify(body));
    }
    expect(statuses).toEqual([200, 500, 200, 200]);
    expect(contents[0]).toContain('"content":"first"');
    expect(contents[1]).toContain('server_error');
    expect(contents[2]).toContain('"content":"third"');
    expect(contents[3]).toContain('"content":"default"');
    await fake.waitForRequests(4);
  });

  it('records method, path, headers and the parsed body of every request', async () => {
    const fake = await start('openai');
    await (await post(fake, 'openai', false)).text();
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      headers: { 'content-type': 'application/json' },
      body: { model: 'test-model', stream: false },
      closedEarly: false,
    });
    expect(JSON.parse(fake.requests[0]?.rawBody ?? '')).toEqual(fake.requests[0]?.body);
  });

  it('rejects waitForRequests when too few requests arrive in time', async () => {
    const fake = await start('openai');
    await expect(fake.waitForRequests(1, 20)).rejects.toThrow(/no 1 requests within 20 ms/);
  });

  it('gives identical bytes for the same request sequence on two servers', async () => {
    const bodies: string[] = [];
    for (let server = 0; server < 2; server += 1) {
      const fake = await start('anthropic', { kind: 'tool-calls', calls: [{ name: 'f', arguments: {} }] });
      bodies.push(await (await post(fake, 'anthropic', true)).text());
    }
    expect(bodies[0]).toBe(bodies[1]);
  });
});
