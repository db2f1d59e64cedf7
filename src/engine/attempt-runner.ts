import {
  GatewayError,
  isContentEvent,
  type AttemptRecord,
  type CanonicalRequest,
  type Clock,
  type StreamEvent,
} from '../core/index.js';
import type { Timeouts, Target } from '../core/index.js';
import { requestForTarget } from './apply-output-clamp.js';
import { streamWithTargetWarnings } from './target-warnings.js';
import { AttemptStream } from './attempt-stream.js';
import type { ProviderClient } from '../ports/provider-client.js';

/** An attempt that succeeded far enough to be committed: whatever it carries, the run treats it alike. */
export interface WonAttempt {
  ok: true;
  target: Target;
  record: AttemptRecord;
  /** Frees what the attempt still holds when another attempt was committed first. */
  close(): void;
}

/** An attempt that reached its first content event: it can be committed to the client. */
export interface CommittableAttempt extends WonAttempt {
  stream: AttemptStream;
  buffered: StreamEvent[];
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

export type AttemptResult<W extends WonAttempt = CommittableAttempt> = W | FailedAttempt;

/** What every attempt is given, whatever kind of call it makes. */
export interface AttemptSpec {
  client: ProviderClient;
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
export interface RunningAttempt<W extends WonAttempt = CommittableAttempt> {
  result: Promise<AttemptResult<W>>;
  cancel(): AttemptRecord;
  /** Aborts with a reason that becomes the attempt's (or committed stream's) failure: client gone, total deadline. */
  abort(reason: GatewayError): void;
}

/**
 * How long an attempt may take to its first token; a whole answer (non-streaming, embeddings) arrives at once, so
 * for it first_token_ms bounds the complete response (docs/routing.md). Never beyond the request's total deadline.
 */
export function firstAnswerLimitMs(spec: AttemptSpec): number {
  return Math.max(1, Math.min(spec.timeouts.firstTokenMs, spec.remainingMs));
}

/** Whether the request's total deadline comes before the first-token one: then that is the deadline the attempt hits. */
export function deadlineFirst(spec: AttemptSpec): boolean {
  return spec.remainingMs < spec.timeouts.firstTokenMs;
}

/** The attempt's entry on the record, stamped when it ends: timing, outcome and the upstream status if any. */
export function attemptRecorder(spec: AttemptSpec): (failure: GatewayError | undefined) => AttemptRecord {
  const { clock, target } = spec;
  const started = clock.now();
  return (failure) => {
    const entry: AttemptRecord = {
      provider: target.provider.id,
      model: target.model,
      outcome: failure ? failure.code : 'ok',
      latencyMs: Math.round(clock.now() - started),
      startOffsetMs: Math.round(started - spec.requestStarted),
      // Always present, 0 included: the record says what was waited before every attempt, fallbacks too.
      retryWaitMs: spec.retryWaitMs,
    };
    if (failure?.upstreamStatus !== undefined) entry.status = failure.upstreamStatus;
    if (failure?.phase !== undefined) entry.phase = failure.phase;
    if (failure) entry.message = failure.message;
    return entry;
  };
}

/** The record of an attempt cancelled because another one answered first. */
export function cancelledRecord(record: (failure: GatewayError) => AttemptRecord, target: Target): AttemptRecord {
  return record(new GatewayError('client_closed', `${target.provider.id}: cancelled, another attempt answered first`, { provider: target.provider.id }));
}

/**
 * Starts one upstream attempt and reads it up to its first content event, buffering what came before; with
 * `forwardAnswer` a same-format target's answer comes as `wire` events.
 */
export function startAttempt(spec: AttemptSpec, request: CanonicalRequest, forwardAnswer = false): RunningAttempt {
  const { clock, target } = spec;
  const record = attemptRecorder(spec);
  const stream = new AttemptStream(
    (signal, wait, responded, whenDone) =>
      streamWithTargetWarnings(request, target, () =>
        spec.client.stream(requestForTarget(request, target), target, { signal, wait, responded, whenDone, timeouts: spec.timeouts, requestId: spec.requestId, forwardAnswer }),
      ),
    target.provider.id,
    { firstTokenMs: firstAnswerLimitMs(spec), stallMs: spec.timeouts.stallMs, deadlineFirst: deadlineFirst(spec) },
    clock,
  );
  const result = (async (): Promise<AttemptResult> => {
    const buffered: StreamEvent[] = [];
    let failure: GatewayError | undefined;
    try {
      reading: for (;;) {
        const batch = await stream.nextBatch();
        if (batch === undefined) {
          failure = new GatewayError('upstream_malformed_response', `${target.provider.id}: stream ended before any content`, { provider: target.provider.id });
          break;
        }
        for (let index = 0; index < batch.length; index++) {
          const event = batch[index] as StreamEvent;
          if (event.type === 'error') {
            failure = event.error;
            break reading;
          }
          buffered.push(event);
          if (isContentEvent(event)) {
            // The rest of the chunk is the committed stream's, after what was buffered.
            stream.holdBack(batch.slice(index + 1));
            break reading;
          }
        }
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
    return {
      ok: true,
      target,
      stream,
      buffered,
      record: committed,
      close: () => stream.close(),
      failedAfterCommit: (failure) => void Object.assign(committed, record(failure)),
    };
  })();
  return {
    result,
    abort: (reason) => stream.abort(reason),
    cancel: () => {
      stream.close();
      return cancelledRecord(record, target);
    },
  };
}
