import { setTimeout as sleep } from 'node:timers/promises';
import { AllTargetsFailedError, GatewayError, type AttemptRecord } from '../core/index.js';
import type { RouteDecision, RoutePlan } from '../routing/resolve-route.js';
import { deploymentKey } from '../routing/deployment-key.js';
import type { Target } from '../core/index.js';
import type { AttemptResult, AttemptSpec, RunningAttempt, WonAttempt } from './attempt-runner.js';
import { backoffDelayMs } from './backoff.js';
import type { AttemptLane } from '../ports/attempt-lane.js';
import type { Engine, ExecuteOptions } from './engine.js';
import { firstCommit, type RaceOutcome } from './first-commit.js';

/**
 * Errors no other attempt will do better on, so they go straight to the client: the request's own fault, and the
 * gateway's own failure (`internal_error`), which is never retried nor failed over.
 */
function endsTheRun(error: GatewayError): boolean {
  return error.code === 'upstream_bad_request' || error.code === 'invalid_request' || error.code === 'unsupported_parameter' || error.code === 'internal_error';
}

/** The outcome of a race one attempt ran alone. */
function soleOutcome<W extends WonAttempt>(result: AttemptResult<W>): RaceOutcome<W> {
  return result.ok ? { winner: result, failures: [], cancelled: [] } : { failures: [result], cancelled: [] };
}

function clientClosed(): GatewayError {
  return new GatewayError('client_closed', 'client closed the request');
}

/** The run so far, handed over at the commit point. */
export interface RunStory {
  attempts: AttemptRecord[];
  decisions: RouteDecision[];
  /** Time spent waiting before the committed attempt: failed attempts' upstream time and retry backoff. */
  upstreamMs: number;
  /** When the run (or the request it continues) began, on the engine's clock. */
  startedAt: number;
  /** Ends the run's deadline and abort forwarding; call once the committed call is over. */
  release(): void;
}

/**
 * One kind of upstream call (a chat stream, an embedding, …): how an attempt starts and what committing a won
 * attempt gives the caller. Everything else — retries, breakers, deadline, hedging, failover, the record — is the
 * run's, the same for every kind.
 */
export interface CallKind<W extends WonAttempt, R> {
  start(spec: AttemptSpec): RunningAttempt<W>;
  commit(winner: W, story: RunStory): R;
}

/** How many retry-after waits one target may be given under the batch lane's patience. */
const MAX_PATIENT_WAITS = 10;

/** One request's walk through its plan: attempts, retries, hedges, breaker bookkeeping and the total deadline. */
export class RequestRun<W extends WonAttempt, R> {
  private readonly attempts: AttemptRecord[];
  private readonly decisions: RouteDecision[];
  private readonly skippedByBreaker: string[] = [];
  private readonly started: number;
  private readonly deadline: number;
  /** Every attempt launched, so a client abort or the total deadline can stop whichever are still running. */
  private readonly running: RunningAttempt<W>[] = [];
  /** Ends the in-flight count of attempts that won and may still be streaming; the others end when they settle. */
  private readonly inFlight: Array<() => void> = [];
  private readonly deadlineTimer: NodeJS.Timeout;
  /** Time spent waiting rather than working: on upstreams, and in backoff before a retry. */
  private upstreamMs = 0;
  private shortestRetryAfter: number | undefined;
  private hedged = -1;
  private lastFailure: GatewayError | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly plan: RoutePlan,
    private readonly options: ExecuteOptions,
    private readonly kind: CallKind<W, R>,
  ) {
    this.attempts = options.attempts ?? [];
    this.decisions = [...plan.decisions];
    this.started = options.startedAt ?? engine.deps.clock.now();
    const { totalMs } = plan.route.timeouts;
    this.deadline = this.started + totalMs;
    this.deadlineTimer = setTimeout(() => this.abortAll(new GatewayError('upstream_timeout', `total deadline of ${totalMs} ms reached`, { phase: 'total' })), Math.max(0, this.deadline - this.now()));
    this.deadlineTimer.unref();
    options.signal.once('abort', this.forwardAbort);
  }

  /** Tries targets in plan order until one commits; throws the aggregate failure otherwise. */
  async run(): Promise<R> {
    try {
      for (let index = 0; index < this.plan.targets.length; index++) {
        if (index === this.hedged) continue;
        const execution = await this.tryTarget(index);
        if (execution) return execution;
        if (this.now() >= this.deadline) break;
      }
    } catch (error) {
      this.release();
      throw error;
    }
    this.release();
    if (this.attempts.length === 0) {
      const why = this.skippedByBreaker.length > 0 ? `circuit breaker open for ${this.skippedByBreaker.join(', ')}` : 'no target available';
      throw new GatewayError('all_targets_failed', `No upstream attempt was made for model ${this.plan.route.name}: ${why}`);
    }
    const last = this.lastFailure;
    const requestTooBig = this.attempts.every((a) => a.outcome === 'context_length_exceeded' || a.outcome === 'upstream_content_filter');
    if (last && requestTooBig) throw last;
    throw new AllTargetsFailedError(this.attempts, this.shortestRetryAfter);
  }

  private async tryTarget(index: number): Promise<R | undefined> {
    const { route } = this.plan;
    const target = this.plan.targets[index] as Target;
    // Answered from memory on the common path; only a fleet-wide probe claim is awaited.
    const verdict = this.engine.deps.breakers.admit(target, route.breaker);
    const admission = verdict instanceof Promise ? await verdict : verdict;
    if (!admission.admit) {
      this.decisions.push({ providerId: target.provider.id, model: target.model, action: 'skip', reason: admission.reason });
      this.skippedByBreaker.push(`${target.provider.id}/${target.model}`);
      return undefined;
    }
    let lastFailure: GatewayError | undefined;
    let patientWaits = 0;
    let patient = false;
    for (let attempt = 1; attempt <= route.retry.attempts; attempt++) {
      let waitMs = 0;
      if (attempt > 1 || patient) {
        waitMs = patient ? (lastFailure?.retryAfterMs ?? 0) : backoffDelayMs(attempt - 1, route.retry, this.engine.deps.random, lastFailure?.retryAfterMs);
        if (this.now() + waitMs >= this.deadline) return undefined;
        if (!(await this.options.signal.sleep(waitMs))) throw clientClosed();
        this.upstreamMs += waitMs;
      }
      patient = false;
      const slot = this.engine.deps.lane ? await this.laneSlot(this.engine.deps.lane, target) : undefined;
      let outcome: RaceOutcome<W>;
      try {
        outcome = await this.attemptWithHedge(index, attempt, waitMs);
      } catch (error) {
        slot?.();
        throw error;
      }
      if (slot) this.holdSlot(slot, outcome);
      for (const failed of outcome.failures) this.absorb(failed);
      // A cancelled hedge loser was a real upstream call: list it, but it says nothing about its deployment's health.
      this.attempts.push(...outcome.cancelled);
      if (outcome.winner) {
        this.absorb(outcome.winner);
        return this.commit(outcome.winner);
      }
      if (this.options.signal.aborted) throw clientClosed();
      const own = outcome.failures.find((f) => f.target === target) ?? outcome.failures[0];
      if (!own || own.ok) return undefined;
      lastFailure = own.failure;
      this.lastFailure = lastFailure;
      if (endsTheRun(lastFailure)) throw lastFailure;
      if (this.waitsOut(lastFailure) && patientWaits < MAX_PATIENT_WAITS) {
        // Waiting out the target's own retry-after is not a new try of it: the attempt number stays.
        patientWaits++;
        patient = true;
        attempt--;
        continue;
      }
      if (!lastFailure.retryable) return undefined;
      if (lastFailure.retryAfterMs !== undefined && this.now() + lastFailure.retryAfterMs >= this.deadline) return undefined;
    }
    return undefined;
  }

  /** Runs one attempt; on a route with `hedge_ms`, races the next target once the first is slow to commit. */
  private async attemptWithHedge(index: number, attempt: number, waitMs: number): Promise<RaceOutcome<W>> {
    const { route } = this.plan;
    const primary = this.launch(this.plan.targets[index] as Target, waitMs);
    const hedgeIndex = index + 1;
    // Without a hedge there is nothing to race: the attempt's own result is the outcome.
    if (route.hedgeMs === undefined || attempt !== 1 || hedgeIndex >= this.plan.targets.length) return soleOutcome(await primary.result);
    const timer = sleep(route.hedgeMs, 'hedge' as const, { ref: false });
    const first = await Promise.race([primary.result, timer]);
    if (first !== 'hedge') return soleOutcome(first);
    const hedgeTarget = this.plan.targets[hedgeIndex] as Target;
    this.decisions.push({ providerId: hedgeTarget.provider.id, model: hedgeTarget.model, action: 'try', reason: `hedge after ${route.hedgeMs} ms` });
    this.hedged = hedgeIndex;
    return firstCommit([primary, this.launch(hedgeTarget, 0)]);
  }

  private launch(target: Target, retryWaitMs: number): RunningAttempt<W> {
    const { deps } = this.engine;
    if (this.options.signal.aborted) throw clientClosed();
    const attempt = this.kind.start({
      client: deps.clientFor(target),
      target,
      timeouts: this.plan.route.timeouts,
      remainingMs: this.deadline - this.now(),
      requestId: this.options.requestId,
      clock: deps.clock,
      requestStarted: this.started,
      retryWaitMs,
    });
    this.running.push(attempt);
    this.countInFlight(target, attempt);
    return attempt;
  }

  /** In flight from launch until it fails, or until the run is over for one that won (its stream may still run). */
  private countInFlight(target: Target, attempt: RunningAttempt<W>): void {
    const statistics = this.engine.deps.statistics;
    if (!statistics) return;
    const end = statistics.begin(deploymentKey(target));
    this.inFlight.push(end);
    attempt.result.then((result) => (result.ok ? undefined : end()), end);
  }

  /** Whether the run's patience (the batch lane) waits out this failure's retry-after on the same target. */
  private waitsOut(failure: GatewayError): boolean {
    const { patienceMs } = this.options;
    const { retryAfterMs } = failure;
    if (patienceMs === undefined || retryAfterMs === undefined || retryAfterMs > patienceMs) return false;
    return failure.code === 'upstream_rate_limited' || failure.code === 'upstream_overloaded' || failure.code === 'rate_limited';
  }

  /** Waits for the lane's room on the target's deployment; the time counts as waiting, not as the gateway's own work. */
  private async laneSlot(lane: AttemptLane, target: Target): Promise<() => void> {
    const before = this.now();
    try {
      return await lane.acquire(deploymentKey(target), this.options.signal);
    } catch {
      throw clientClosed();
    } finally {
      this.upstreamMs += this.now() - before;
    }
  }

  /** A won attempt keeps its lane slot until the run is released (its stream may still run); a failed one gives it back. */
  private holdSlot(slot: () => void, outcome: RaceOutcome<W>): void {
    if (outcome.winner) this.inFlight.push(slot);
    else slot();
  }

  private abortAll(reason: GatewayError): void {
    for (const attempt of this.running) attempt.abort(reason);
  }

  private absorb(result: AttemptResult<W>): void {
    this.attempts.push(result.record);
    this.engine.deps.breakers.record(result.target, result.record.outcome, this.plan.route.breaker);
    if (result.ok) return;
    this.upstreamMs += result.upstreamMs;
    const retryAfter = result.failure.retryAfterMs;
    if (retryAfter !== undefined) this.shortestRetryAfter = Math.min(this.shortestRetryAfter ?? Infinity, retryAfter);
  }

  private commit(winner: W): R {
    return this.kind.commit(winner, { attempts: this.attempts, decisions: this.decisions, upstreamMs: this.upstreamMs, startedAt: this.started, release: () => this.release() });
  }

  private readonly forwardAbort = (): void => {
    const reason: unknown = this.options.signal.reason;
    this.abortAll(reason instanceof GatewayError ? reason : clientClosed());
  };

  private release(): void {
    for (const end of this.inFlight) end();
    clearTimeout(this.deadlineTimer);
    this.options.signal.off('abort', this.forwardAbort);
  }

  private now(): number {
    return this.engine.deps.clock.now();
  }
}
