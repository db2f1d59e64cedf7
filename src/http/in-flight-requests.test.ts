import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { promotedDuring } from '../../test/support/young-collections.js';
import { CancelSource, GatewayError } from '../core/index.js';
import { InFlightRequests } from './in-flight-requests.js';

/** The parts of Fastify's request and reply the tracker touches; `close` is what Node emits when a response is done. */
function exchange(body = ''): { request: FastifyRequest; reply: FastifyReply; socket: Socket; close: () => void } {
  const socket = new EventEmitter() as unknown as Socket;
  const raw = new EventEmitter();
  const request = { raw: { socket }, flight: undefined, endedBy: undefined, body } as unknown as FastifyRequest;
  const reply = { raw } as unknown as FastifyReply;
  return { request, reply, socket, close: () => raw.emit('close') };
}

describe('requests in flight', () => {
  it('are found by socket and counted until their response closes', () => {
    const tracker = new InFlightRequests(() => {});
    const [a, b, c] = [exchange(), exchange(), exchange()];
    for (const { request, reply } of [a, b, c]) tracker.track(request, reply);
    expect(tracker.size).toBe(3);
    expect(tracker.onSocket(b.socket)).toBe(b.request);
    b.close();
    expect(tracker.size).toBe(2);
    expect(tracker.onSocket(b.socket)).toBeUndefined();
    expect(tracker.onSocket(c.socket)).toBe(c.request);
    a.close();
    c.close();
    expect(tracker.size).toBe(0);
    expect(tracker.onSocket(a.socket)).toBeUndefined();
  });

  it('end a running handler through its cancellation, and ignore a request that already closed', () => {
    const tracker = new InFlightRequests(() => {});
    const [running, done] = [exchange(), exchange()];
    const cancel = new CancelSource();
    tracker.track(running.request, running.reply);
    tracker.attach(running.request, cancel);
    tracker.track(done.request, done.reply);
    done.close();
    const reason = new GatewayError('shutting_down', 'the gateway is shutting down');
    tracker.endAll(reason);
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe(reason);
    expect(running.request.endedBy).toBe(reason);
    expect(done.request.endedBy).toBeUndefined();
  });

  // The tracker outlives every request, so it sits in the old generation, which a scavenge treats as alive. Tracked
  // in a Map, finished requests stayed reachable from the Map's discarded tables and were promoted with all they held.
  it('leave nothing that keeps a finished request alive through young-generation collections', () => {
    const requests = 3000;
    const bodyBytes = 10_000;
    const tracker = new InFlightRequests(() => {});
    const promoted = promotedDuring((scavenge) => {
      const open: Array<() => void> = [];
      for (let index = 0; index < requests; index += 1) {
        const { request, reply, close } = exchange('x'.repeat(bodyBytes) + String(index));
        tracker.track(request, reply);
        open.push(close);
        if (open.length > 16) open.shift()?.();
        if (index % 100 === 99) scavenge();
      }
    });
    // With the Map, about a tenth of the bodies (3 MB) reached the old generation; now only the last few open ones may.
    expect(promoted).toBeLessThan((requests * bodyBytes) / 40);
  });
});
