import Anthropic from '@anthropic-ai/sdk';
import type { Socket } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../../test/fakes/index.js';
import type { FakeUpstream } from '../../test/fakes/fake-types.js';
import { startTestGateway, type TestGateway } from '../../test/support/start-test-gateway.js';

let upstream: FakeUpstream;
let gateway: TestGateway;
/** What each socket write of the gateway's client connections carried, one entry per write system call. */
const writes: string[] = [];

/** Notes each write a socket hands to the kernel: `_writev` for corked batches, `_write` for single buffers. */
function recordWrites(socket: Socket): void {
  const writable = socket as unknown as {
    _writev(chunks: Array<{ chunk: Buffer | string }>, callback: (error?: Error | null) => void): void;
    _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
  };
  const writev = writable._writev.bind(socket);
  const write = writable._write.bind(socket);
  writable._writev = (chunks, callback) => {
    writes.push(chunks.map(({ chunk }) => chunk.toString()).join(''));
    writev(chunks, callback);
  };
  writable._write = (chunk, encoding, callback) => {
    writes.push(chunk.toString());
    write(chunk, encoding, callback);
  };
}

beforeAll(async () => {
  upstream = await startFakeUpstream('openai', { defaultScript: { kind: 'text', text: ['one ', 'two ', 'three'] } });
  gateway = await startTestGateway(`
providers:
  up: { type: openai-compatible, base_url: ${upstream.url}/v1 }
models:
  chat: { targets: [{ provider: up, model: gpt-test }] }
`);
  gateway.app.server.on('connection', recordWrites);
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('a streamed answer’s end', () => {
  it('leaves in one write with the body’s terminator when forwarded in the client’s format', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    writes.length = 0;
    const stream = await client.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'count' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two three');
    const last = writes.at(-1) ?? '';
    expect(last).toContain('data: [DONE]');
    expect(last.endsWith('0\r\n\r\n')).toBe(true);
  });

  it('leaves in one write with the body’s terminator when translated', async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'unused', maxRetries: 0 });
    writes.length = 0;
    const stream = client.messages.stream({ model: 'chat', max_tokens: 100, messages: [{ role: 'user', content: 'count' }] });
    expect((await stream.finalText())).toBe('one two three');
    const last = writes.at(-1) ?? '';
    expect(last).toContain('event: message_stop');
    expect(last.endsWith('0\r\n\r\n')).toBe(true);
  });
});
