import { setTimeout as sleep } from 'node:timers/promises';
import {
  AllTargetsFailedError,
  GatewayError,
  isContentEvent,
  type AttemptRecord,
  type CanonicalRequest,
  type Clock,
  type Random,
  type StreamEvent,
  type Warning,
} from '../core/index.js';
import type { RoutePlan } from '../routing/resolve-route.js';
import type { Target } from '../providers/provider-adapter.js';
import { AttemptStream } from './attempt-stream.js';
import { backoffDelayMs } from './backoff.js';
import type { ProviderClient } from './provider-client.js';

/** What the engine needs from the outside world. */
export interface EngineDeps {
  clientFor(target: Target): ProviderClient;
  clock: Clock;
  random: Random;
}

export interface ExecuteOptions {
  requestId: string;
  /** Aborted when the client goes away; aborts the upstream call. */
  signal: AbortSignal;
}

/** A request committed to one target: the events from the commit point on, and the story so far. */
export interface Execution {
  target: Target;
  attempts: AttemptRecord[];
  /** Warnings known at the commit point (translation warnings come before any content). */
  warnings: Warning[];
  /** Events of the committed attempt, starting with those buffered before commit. Ends after finish or error. */
  events: AsyncIterable<StreamEvent>;
  /** Milliseconds spent waiting on upstreams so far (all attempts). */
  upstreamMs(): number;
}

/** Errors that are the request's own fault: no other target will do better, so they go straight to the client. */
function isClientFault(error: GatewayError): boolean {
  return error.code === 'upstream_bad_request' || error.code === 'invalid_request' || error.code === 'unsupported_parameter';
}

/**
 * Runs a RoutePlan: per-target retries with full-jitter backoff honouring retry hints, phase deadlines, and failover
 * that stays invisible to the client until the first content event commits the stream.
 */
export class Engine {
  constructor(private readonly deps: EngineDeps) {}

  /** Resolves at the commit point with the committed attempt; rejects when every target failed. */
  async execute(request: CanonicalRequest, plan: RoutePlan, options: ExecuteOptions): Promise<Execution> {
    const { clock } = this.deps;
    const started = clock.now();
    const deadline = started + plan.route.timeouts.totalMs;
    const attempts: AttemptRecord[] = [];
    let upstreamMs = 0;
    let lastError: GatewayError | undefined;
    let shortestRetryAfter: number | undefined;

    for (const target of plan.targets) {
      const client = this.deps.clientFor(target);
      for (let attempt = 1; attempt <= plan.route.retry.attempts; attempt++) {
        let waitMs = 0;
        if (attempt > 1) {
          waitMs = backoffDelayMs(attempt - 1, plan.route.retry, this.deps.random, lastError?.retryAfterMs);
          if (clock.now() + waitMs >= deadline) break;
          try {
            await sleep(waitMs, undefined, { signal: options.signal });
          } catch {
            throw new GatewayError('client_closed', 'client closed the request');
          }
        }
        const attemptStarted = clock.now();
        const stream = new AttemptStream(
          (signal) => client.stream(request, target, { signal, timeouts: plan.route.timeouts, requestId: options.requestId }),
          target.provider.id,
          { firstTokenMs: Math.min(plan.route.timeouts.firstTokenMs, deadline - attemptStarted), stallMs: plan.route.timeouts.stallMs },
          clock,
          options.signal,
        );
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
        const record: AttemptRecord = {
          provider: target.provider.id,
          model: target.model,
          outcome: failure ? failure.code : 'ok',
          latencyMs: Math.round(clock.now() - attemptStarted),
          startOffsetMs: Math.round(attemptStarted - started),
        };
        if (waitMs > 0) record.retryWaitMs = waitMs;
        if (failure?.upstreamStatus !== undefined) record.status = failure.upstreamStatus;
        if (failure) record.message = failure.message;
        attempts.push(record);

        if (!failure) {
          stream.committed();
          const previousUpstream = upstreamMs;
          return {
            target,
            attempts,
            warnings: buffered.flatMap((event) => (event.type === 'warning' ? [event.warning] : [])),
            events: this.continueStream(stream, buffered),
            upstreamMs: () => previousUpstream + stream.upstreamMs,
          };
        }
        stream.close();
        upstreamMs += stream.upstreamMs;
        if (failure.code === 'client_closed' || options.signal.aborted) throw new GatewayError('client_closed', 'client closed the request');
        lastError = failure;
        if (failure.retryAfterMs !== undefined) {
          shortestRetryAfter = Math.min(shortestRetryAfter ?? Infinity, failure.retryAfterMs);
        }
        if (isClientFault(failure)) throw failure;
        if (!failure.retryable) break;
        if (failure.retryAfterMs !== undefined && clock.now() + failure.retryAfterMs >= deadline) break;
      }
      if (clock.now() >= deadline) break;
    }
    if (attempts.length === 0) {
      throw new GatewayError('all_targets_failed', `No target available for model ${plan.route.name}`);
    }
    throw new AllTargetsFailedError(attempts, shortestRetryAfter);
  }

  private async *continueStream(stream: AttemptStream, buffered: StreamEvent[]): AsyncIterable<StreamEvent> {
    let ended = false;
    try {
      yield* buffered;
      for (;;) {
        let event: StreamEvent | undefined;
        try {
          event = await stream.next();
        } catch (error) {
          ended = true;
          yield { type: 'error', error: error instanceof GatewayError ? error : new GatewayError('internal_error', 'stream failed') };
          return;
        }
        if (event === undefined) {
          ended = true;
          return;
        }
        yield event;
        if (event.type === 'error') {
          ended = true;
          return;
        }
      }
    } finally {
      if (!ended) stream.close();
    }
  }
}
