import { describe, expect, it } from 'vitest';
import { systemClock, type StreamEvent } from '../core/index.js';
import type { SseEvent, StreamDecoder } from '../providers/provider-adapter.js';
import { StreamedBody } from './streamed-response.js';
import { SseBatches } from './upstream-batches.js';

/** A decoder that turns `start` into a response start and any other data into a text delta of that text. */
function textDecoder(): StreamDecoder {
  return {
    push: (event: SseEvent): StreamEvent[] =>
      event.data === 'start' ? [{ type: 'response-start' }] : [{ type: 'text-delta', blockId: 'b', text: event.data }],
    end: () => [],
  };
}

/** A body that already received every chunk and ended. */
function receivedBody(chunks: Array<string | Buffer>): StreamedBody {
  const body = new StreamedBody();
  for (const chunk of chunks) body.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  body.end(null);
  return body;
}

async function batchesOf(chunks: Array<string | Buffer>): Promise<string[][]> {
  const batches = new SseBatches(receivedBody(chunks), textDecoder(), {
    clock: systemClock,
    waited: () => undefined,
    failure: (error) => (error instanceof Error ? error : new Error(String(error))),
  });
  const out: string[][] = [];
  for (let result = await batches.next(); result.done !== true; result = await batches.next()) {
    out.push(result.value.map((event) => (event.type === 'text-delta' ? event.text : event.type)));
  }
  return out;
}

describe('SseBatches', () => {
  it('hands out the first content of a chunk ahead of the rest of that chunk', async () => {
    const chunk = 'data: start\n\ndata: a\n\ndata: b\n\ndata: c\n\n';
    expect(await batchesOf([chunk])).toEqual([['response-start', 'a'], ['b', 'c']]);
  });

  it('splits CRLF-separated messages the same way', async () => {
    expect(await batchesOf(['data: a\r\n\r\ndata: b\r\n\r\n'])).toEqual([['a'], ['b']]);
  });

  it('keeps one batch per chunk once the first content has gone out', async () => {
    expect(await batchesOf(['data: a\n\n', 'data: b\n\ndata: c\n\n', 'data: d\n\n'])).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('reads a message split across chunks whole, and hands out a chunk without content as it came', async () => {
    expect(await batchesOf(['data: start\n\nda', 'ta: a\n\ndata: b\n\n'])).toEqual([['response-start'], ['a'], ['b']]);
  });

  it('drops a byte order mark opening the body', async () => {
    expect(await batchesOf(['\ufeffdata: a\n\n'])).toEqual([['a']]);
  });

  it('decodes a character split across chunks', async () => {
    const bytes = Buffer.from('data: é\n\n');
    expect(await batchesOf([bytes.subarray(0, 7), bytes.subarray(7)])).toEqual([['é']]);
  });
});
