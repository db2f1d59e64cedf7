import {
  GatewayError,
  isContentEvent,
  type AttemptRecord,
  type CanonicalRequest,
  type Clock,
  type StreamEvent,
} from '../core/index.js';
import type { Timeouts, Target } from '../core/index.js';
import { AttemptStream } from './attempt-stream.js';
import type { ProviderClient } from '../ports/provider-client.js';

/** An attempt that reached its first content event: it can be committed to the client. */
export interface CommittableAttempt {
  ok: true;
  target: Target;
  stream: AttemptStream;
  buffered: StreamEvent[];
  record: AttemptRecord;
  /** Rewrites `record` (already on the request's attempt list) for a failure after commit: it was not `ok`. */
  failedAfterCommit(failure: GatewayError): void;
}

/** An attempt that failed before any content. */
export interface FailedAttempt {
  ok: false;
  target: Target;
  failure: GatewayError;
  record: AttemptRecord;
  upstreamMs: number;
}

export type AttemptResult = CommittableAttempt | FailedAttempt;

export interface AttemptSpec {
  client: ProviderClient;
  request: CanonicalRequest;
  target: Target;
  timeouts: Timeouts;
  /** Milliseconds left before the request's total deadline. */
  remainingMs: number;
  requestId: string;
  clock: Clock;
  /** The request's start on `clock`, for the attempt's offset in the timeline. */
  requestStarted: number;
  retryWaitMs: number;
}

/**
 * A running attempt: `result` settles at its commit point or its failure; `cancel` aborts it (the hedging loser) and
 * returns its record, since its `result` settles only after the race was decided.
 */
export interface RunningAttempt {
  result: Promise<AttemptResult>;
  cancel(): AttemptRecord;
  /** Aborts with a reason that becomes the attempt's (or committed stream's) failure: client gone, total deadline. */
  abort(reason: GatewayError): void;
}

/** Starts one upstream attempt and reads it up to its first content event, buffering what came before. */
export function startAttempt(spec: AttemptSpec): RunningAttempt {
  const { clock, target } = spec;
  const started = clock.now();
  const stream = new AttemptStream(
    (signal, wait, responded) => spec.client.stream(spec.request, target, { signal, wait, responded, timeouts: spec.timeouts, requestId: spec.requestId }),
    target.provider.id,
    // A non-streaming answer arrives whole, so for it first_token_ms bounds the complete response (docs/routing.md).
    {
      firstTokenMs: Math.max(1, Math.min(spec.timeouts.firstTokenMs, spec.remainingMs)),
      stallMs: spec.timeouts.stallMs,
      // When the total deadline comes first, that is the deadline the attempt hits.
      deadlineFirst: spec.remainingMs < spec.timeouts.firstTokenMs,
    },
    clock,
  );
  const record = (failure: GatewayError | undefined): AttemptRecord => {
    const entry: AttemptRecord = {
      provider: target.provider.id,
      model: target.model,
      outcome: failure ? failure.code : 'ok',
      latencyMs: Math.round(clock.now() - started),
      startOffsetMs: Math.round(started - spec.requestStarted),
    };
    if (spec.retryWaitMs > 0) entry.retryWaitMs = spec.retryWaitMs;
    if (failure?.upstreamStatus !== undefined) entry.status = failure.upstreamStatus;
    if (failure?.phase !== undefined) entry.phase = failure.phase;
    if (failure) entry.message = failure.message;
    return entry;
  };
  const result = (async (): Promise<AttemptResult> => {
    const buffered: StreamEvent[] = [];
    let failure: GatewayError | undefined;
    try {
      for (;;) {
        const event = await stream.next();
        if (event === undefined) {
          failure = new GatewayError('upstream_malformed_response', `${target.provider.id}: stream ended before any content`, { provider: target.provider.id });
          break;
        }
        if (event.type === 'error') {
          failure = event.error;
          break;
        }
        buffered.push(event);
        if (isContentEvent(event)) break;
      }
    } catch (error) {
      failure = error instanceof GatewayError ? error : new GatewayError('internal_error', 'attempt failed', { cause: error });
    }
    if (failure) {
      stream.close();
      return { ok: false, target, failure, record: record(failure), upstreamMs: stream.upstreamMs };
    }
    stream.committed();
    const committed = record(undefined);
    return { ok: true, target, stream, buffered, record: committed, failedAfterCommit: (failure) => void Object.assign(committed, record(failure)) };
  })();
  return {
    result,
    abort: (reason) => stream.abort(reason),
    cancel: () => {
      stream.close();
      return record(new GatewayError('client_closed', `${target.provider.id}: cancelled, another attempt answered first`, { provider: target.provider.id }));
    },
  };
}
