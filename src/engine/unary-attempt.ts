import { CancelSource, GatewayError, type Target } from '../core/index.js';
import type { AttemptContext, ProviderClient } from '../ports/provider-client.js';
import { attemptRecorder, cancelledRecord, deadlineFirst, firstAnswerLimitMs, type AttemptSpec, type RunningAttempt, type WonAttempt } from './attempt-runner.js';
import { attemptFailure } from './undici-errors.js';

/** One upstream call that answers whole (embeddings; later batch lines): the provider client's promise. */
export type UnaryCall<T> = (client: ProviderClient, target: Target, context: AttemptContext) => Promise<T>;

/** A unary attempt that answered: its value is ready to hand to the client. */
export interface AnsweredAttempt<T> extends WonAttempt {
  value: T;
  /** Time the provider client spent waiting on its upstream. */
  upstreamMs: number;
}

/** Never resolves; rejects once `signal` aborts (the caller reads the reason from the signal). */
function untilAborted(signal: CancelSource): Promise<never> {
  return new Promise((_resolve, reject) => {
    signal.once('abort', () => reject(new Error('attempt aborted')));
  });
}

/**
 * Starts one unary upstream attempt under a watchdog: the whole answer must arrive within first_token_ms (and the
 * request's remaining deadline). A failure the gateway caused itself is `internal_error`, never the upstream's.
 */
export function startUnaryAttempt<T>(spec: AttemptSpec, call: UnaryCall<T>): RunningAttempt<AnsweredAttempt<T>> {
  const { target } = spec;
  const providerId = target.provider.id;
  const record = attemptRecorder(spec);
  const signal = new CancelSource();
  const wait = { ms: 0 };
  const limitMs = firstAnswerLimitMs(spec);
  let responded = false;
  // Like a stream's first-token watchdog, the failure names the deadline actually hit.
  const timer = setTimeout(() => {
    const phase = deadlineFirst(spec) ? 'total' : responded ? 'first_token' : 'headers';
    signal.abort(new GatewayError('upstream_timeout', `${providerId}: no answer within ${limitMs} ms`, { provider: providerId, phase }));
  }, limitMs);
  timer.unref();
  const context = {
    signal,
    wait,
    responded: () => {
      responded = true;
    },
    timeouts: spec.timeouts,
    requestId: spec.requestId,
  };
  const result = (async () => {
    try {
      // The race keeps the deadline even for a client that does not watch its signal.
      const value = await Promise.race([call(spec.client, target, context), untilAborted(signal)]);
      return { ok: true as const, target, value, upstreamMs: wait.ms, record: record(undefined), close: () => undefined };
    } catch (error) {
      const failure = attemptFailure(error, providerId, signal);
      return { ok: false as const, target, failure, record: record(failure), upstreamMs: wait.ms };
    } finally {
      clearTimeout(timer);
    }
  })();
  return {
    result,
    abort: (reason) => signal.abort(reason),
    cancel: () => {
      signal.abort(new GatewayError('client_closed', 'attempt closed'));
      return cancelledRecord(record, target);
    },
  };
}
