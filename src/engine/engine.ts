import {
  GatewayError,
  type AttemptRecord,
  type CancelSource,
  type CanonicalRequest,
  type Clock,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type Random,
  type StreamEvent,
  type Warning,
  type Target,
} from '../core/index.js';
import type { RouteDecision, RoutePlan } from '../routing/resolve-route.js';
import type { DeploymentBreakers } from './deployment-breakers.js';
import type { AttemptLane } from '../ports/attempt-lane.js';
import type { ProviderClient } from '../ports/provider-client.js';
import type { RoutingStatistics } from '../ports/routing-statistics.js';
import { startAttempt } from './attempt-runner.js';
import { continueCommittedStream } from './committed-stream.js';
import { RequestRun } from './request-run.js';
import { startUnaryAttempt, type UnaryCall } from './unary-attempt.js';

/** What the engine needs from the outside world. */
export interface EngineDeps {
  clientFor(target: Target): ProviderClient;
  clock: Clock;
  random: Random;
  breakers: DeploymentBreakers;
  /** Counts attempts in flight per deployment (least-busy routing); absent in tests that do not route by load. */
  statistics?: Pick<RoutingStatistics, 'begin'>;
  /** The lane whose per-deployment budget every attempt waits for (the batch lane); absent: attempts start at once. */
  lane?: AttemptLane;
}

export interface ExecuteOptions {
  requestId: string;
  /** Aborted when the client goes away; aborts the upstream call. */
  signal: CancelSource;
  /** Where the run lists its attempts (the caller's record), so they are kept when the run fails or is abandoned. */
  attempts?: AttemptRecord[];
  /**
   * When the request began on the engine's clock, if before this run: a `resume_on_stall` continuation is part of
   * the same request, so its attempts' offsets and its total deadline count from the request's start.
   */
  startedAt?: number;
  /**
   * Patience (the batch lane): a rate-limited or overloaded target's retry-after up to this long is waited out on the
   * same target instead of failing over, when it fits the deadline.
   */
  patienceMs?: number;
  /**
   * The caller writes a same-format target's answer as it came (`wire` events). Not on a route that resumes stalled
   * streams: resuming needs the text already sent, which only block events carry.
   */
  forwardAnswer?: boolean;
}

/** A request committed to one target: the events from the commit point on, and the story so far. */
export interface Execution {
  target: Target;
  attempts: AttemptRecord[];
  /** Why each target was tried or skipped. */
  decisions: RouteDecision[];
  /** Warnings known at the commit point (translation warnings come before any content). */
  warnings: Warning[];
  /** Events of the committed attempt, starting with those buffered before commit. Ends after finish or error. */
  events: AsyncIterable<StreamEvent>;
  /** Milliseconds spent waiting so far — on upstreams (all attempts, a resumed continuation's too) and in retry backoff. */
  upstreamMs(): number;
}

/** A unary call (embeddings) answered by one target, with the story of how it got there. */
export interface UnaryExecution<T> {
  target: Target;
  value: T;
  attempts: AttemptRecord[];
  decisions: RouteDecision[];
  /** Milliseconds spent waiting on upstreams (all attempts). */
  upstreamMs: number;
}

/** Asks a target for embeddings, under the target's own model name. */
const embedCall =
  (request: EmbeddingRequest): UnaryCall<EmbeddingResponse> =>
  (client, target, context) => {
    if (!client.embed) throw new GatewayError('invalid_request', `provider type ${target.provider.type} does not offer embeddings`, { param: 'model' });
    return client.embed({ ...request, model: target.model }, target, context);
  };

/**
 * Runs RoutePlans: breakers skip unhealthy deployments at no cost, per-target retries back off with full jitter and
 * honour retry hints within the deadline, an optional hedge races the next target when the first is slow, and
 * failover stays invisible to the client until the first content event commits the stream.
 */
export class Engine {
  constructor(readonly deps: EngineDeps) {}

  /** Resolves at the commit point with the committed attempt; rejects when every target failed. */
  execute(request: CanonicalRequest, plan: RoutePlan, options: ExecuteOptions): Promise<Execution> {
    const forwardAnswer = options.forwardAnswer === true && !plan.route.resumeOnStall;
    return new RequestRun(this, plan, options, {
      start: (spec) => startAttempt(spec, request, forwardAnswer),
      commit: (winner, story): Execution => {
        let resumedUpstreamMs = (): number => 0;
        const events = continueCommittedStream(winner, {
          request,
          plan,
          engine: this,
          options,
          attempts: story.attempts,
          startedAt: story.startedAt,
          release: story.release,
          resumedOn: (upstreamMs) => {
            resumedUpstreamMs = upstreamMs;
          },
        });
        return {
          target: winner.target,
          attempts: story.attempts,
          decisions: story.decisions,
          warnings: winner.buffered.flatMap((event) => (event.type === 'warning' ? [event.warning] : [])),
          events,
          upstreamMs: () => story.upstreamMs + winner.stream.upstreamMs + resumedUpstreamMs(),
        };
      },
    }).run();
  }

  /** Embeds through the same run as chat: retries, breakers, deadline, hedging and failover; rejects when every target failed. */
  embed(request: EmbeddingRequest, plan: RoutePlan, options: ExecuteOptions): Promise<UnaryExecution<EmbeddingResponse>> {
    return this.executeUnary(plan, options, embedCall(request));
  }

  private executeUnary<T>(plan: RoutePlan, options: ExecuteOptions, call: UnaryCall<T>): Promise<UnaryExecution<T>> {
    return new RequestRun(this, plan, options, {
      start: (spec) => startUnaryAttempt(spec, call),
      commit: (winner, story): UnaryExecution<T> => {
        story.release();
        return { target: winner.target, value: winner.value, attempts: story.attempts, decisions: story.decisions, upstreamMs: story.upstreamMs + winner.upstreamMs };
      },
    }).run();
  }
}
