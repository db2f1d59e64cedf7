import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../../src/core/index.js';
import type { RequestLogRecord } from '../../src/ports/request-log.js';
import type { AnswerForwarder, StreamDecoder } from '../../src/providers/provider-adapter.js';

/** Feeds SSE text to a forwarder's decoder in the given pieces (one per upstream chunk), flushing after each like the HTTP client does. */
export function runForwarder(forwarding: AnswerForwarder, pieces: string[]): StreamEvent[][] {
  const decoder: StreamDecoder = forwarding.createStreamDecoder();
  const batches: StreamEvent[][] = [];
  let batch: StreamEvent[] = [];
  const parser = createParser({ onEvent: (event) => batch.push(...decoder.push(event)) });
  for (const piece of pieces) {
    parser.feed(piece);
    batch.push(...(decoder.flush?.() ?? []));
    batches.push(batch);
    batch = [];
  }
  batches.push(decoder.end());
  return batches;
}

/** What the record reads from a stream: usage, finish, warnings and errors, in order. */
export function recordEvents(events: StreamEvent[]): StreamEvent[] {
  return events.filter((event) => event.type === 'usage' || event.type === 'finish' || event.type === 'warning' || event.type === 'error');
}

/** The forwarded text of a run's `wire` events. */
export function wireText(events: StreamEvent[]): string {
  return events.map((event) => (event.type === 'wire' ? event.data : '')).join('');
}

/** A request record without what differs between two runs of one exchange: ids and timings. */
export function comparableRecord(record: RequestLogRecord): unknown {
  const { id: _id, startedAt: _started, latencyMs: _latency, overheadMs: _overhead, ttftMs: _ttft, ...rest } = record;
  return { ...rest, attempts: record.attempts.map(({ latencyMs: _ms, startOffsetMs: _offset, ...attempt }) => attempt) };
}
