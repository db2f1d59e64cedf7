import type { AttemptRecord, CancelSource, CanonicalRequest, Clock, Random, StreamEvent, Warning, Target } from '../core/index.js';
import type { RouteDecision, RoutePlan } from '../routing/resolve-route.js';
import type { DeploymentBreakers } from './deployment-breakers.js';
import type { ProviderClient } from '../ports/provider-client.js';
import { RequestRun } from './request-run.js';

/** What the engine needs from the outside world. */
export interface EngineDeps {
  clientFor(target: Target): ProviderClient;
  clock: Clock;
  random: Random;
  breakers: DeploymentBreakers;
}

export interface ExecuteOptions {
  requestId: string;
  /** Aborted when the client goes away; aborts the upstream call. */
  signal: CancelSource;
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
  /** Milliseconds spent waiting on upstreams so far (all attempts). */
  upstreamMs(): number;
}

/**
 * Runs RoutePlans: breakers skip unhealthy deployments at no cost, per-target retries back off with full jitter and
 * honour retry hints within the deadline, an optional hedge races the next target when the first is slow, and
 * failover stays invisible to the client until the first content event commits the stream.
 */
export class Engine {
  constructor(readonly deps: EngineDeps) {}

  /** Resolves at the commit point with the committed attempt; rejects when every target failed. */
  execute(request: CanonicalRequest, plan: RoutePlan, options: ExecuteOptions): Promise<Execution> {
    return new RequestRun(this, request, plan, options).run();
  }
}
