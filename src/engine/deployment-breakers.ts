import { randomUUID } from 'node:crypto';
import type { Clock, ErrorCode, Target } from '../core/index.js';
import type { BreakerPolicy } from '../config/gateway-config.js';
import type { StateStore } from '../ports/state-store.js';
import { deploymentKey } from '../routing/deployment-key.js';
import {
  BREAKER_CLOSED_REASON,
  CLOSED_BREAKER,
  admitThroughBreaker,
  breakerTripped,
  countsAgainstDeployment,
  fleetCounts,
  recordBreakerOutcome,
  tallyOutcome,
  type BreakerState,
  type BreakerTally,
  type BreakerVerdict,
} from '../routing/breaker-policy.js';

const PREFIX = 'breaker:';
/** Each replica's own outcomes per deployment: `breaker-tally:<provider>/<model>|<replica id>`. */
const TALLY_PREFIX = 'breaker-tally:';
/**
 * A tally no replica has refreshed for this long is dropped (a replica that went away): its failures are older than
 * any run of failures a breaker still has to weigh.
 */
const TALLY_TTL_MS = 3_600_000;

/** Bound on remembered state keys (deployments are named by clients on direct routes, so they are unbounded). */
const MAX_STATE_KEYS = 4096;

/** Whether a deployment may be tried now, and why (a skip's reason on the record). */
export interface BreakerAdmission {
  admit: boolean;
  reason: string;
}

/** A closed breaker's answer (admitThroughBreaker's), as one object rather than one per attempt. */
const CLOSED_ADMISSION: Readonly<BreakerAdmission> = { admit: true, reason: BREAKER_CLOSED_REASON };

function splitDeployment(deployment: string): { provider: string; model: string } {
  const slash = deployment.indexOf('/');
  return { provider: deployment.slice(0, slash), model: deployment.slice(slash + 1) };
}

function isTally(value: unknown): value is BreakerTally {
  return typeof value === 'object' && value !== null && Array.isArray((value as BreakerTally).failuresAt) && typeof (value as BreakerTally).windowTotal === 'number';
}

/**
 * Breakers per deployment (provider + model), kept in the StateStore so replicas share them. The breaker's state
 * (closed, open, half-open) is one entry, broadcast when it changes; the failures behind it are counted per replica
 * (each replica's tally merges on the store's interval), and every replica decides on the sum of all tallies, so
 * failures spread over replicas open a breaker as they would on one. Every read is from memory.
 */
export class DeploymentBreakers {
  /** The last state this replica saw per deployment, for synchronous metric scrapes. */
  private readonly seen = new Map<string, BreakerState['state']>();
  /** This replica's own tally per deployment. */
  private readonly own = new Map<string, BreakerTally>();
  /** The other replicas' tallies per deployment, as the store delivered them, with when each expires on `clock`. */
  private readonly others = new Map<string, Map<string, { tally: BreakerTally; expiresAt: number }>>();
  /** The policy this replica last applied per deployment, to weigh failures other replicas report. */
  private readonly policies = new Map<string, BreakerPolicy>();
  private readonly replicaId = randomUUID();
  /** `breaker:<deployment>` per deployment, made once: every attempt reads its breaker's state twice. */
  private readonly stateKeys = new Map<string, string>();

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
  ) {
    // For the process's lifetime: the breakers live as long as the store they watch.
    store.watch(TALLY_PREFIX, (key, value, ttlMs) => this.applyTally(key, value, ttlMs));
  }

  /**
   * Whether the deployment may be tried now, and why: answered synchronously from this replica's copy of the state,
   * except for the first probe after a cooldown, which claims it fleet-wide and so returns a promise.
   */
  admit(target: Target, policy: BreakerPolicy): BreakerAdmission | Promise<BreakerAdmission> {
    const key = this.stateKey(deploymentKey(target));
    const state = this.store.get<BreakerState>(key) ?? CLOSED_BREAKER;
    if (state.state === 'closed') {
      this.seen.set(key, 'closed');
      return CLOSED_ADMISSION;
    }
    const verdict = admitThroughBreaker(state, this.clock.now(), policy);
    // Replicas sharing the store race for the first probe after the cooldown: one claim, one probe fleet-wide.
    if (state.state === 'open' && verdict.next.state === 'half-open') return this.claimProbe(key, state, verdict, policy);
    if (verdict.next !== state) this.store.set(key, verdict.next, { broadcast: verdict.next.state !== state.state });
    this.seen.set(key, verdict.next.state);
    return { admit: verdict.admit, reason: verdict.reason };
  }

  private async claimProbe(key: string, state: BreakerState, verdict: BreakerVerdict, policy: BreakerPolicy): Promise<BreakerAdmission> {
    if (!(await this.store.claim(`probe:${key}:${state.openedAt ?? 0}`, policy.cooldownMs))) {
      return { admit: false, reason: 'breaker half-open: probe in flight on another replica' };
    }
    this.store.set(key, verdict.next, { broadcast: true });
    this.seen.set(key, verdict.next.state);
    return { admit: verdict.admit, reason: verdict.reason };
  }

  /**
   * Records an attempt's outcome in this replica's tally and decides on the fleet's: a breaker opens when the
   * failures of every replica together reach the policy. Outcomes that are not the deployment's fault are ignored.
   */
  record(target: Target, outcome: 'ok' | ErrorCode, policy: BreakerPolicy): void {
    const failed = countsAgainstDeployment(outcome);
    if (!failed && outcome !== 'ok') return;
    const deployment = deploymentKey(target);
    const key = this.stateKey(deployment);
    const stored = this.store.get<BreakerState>(key);
    // The common case costs no write: a success on a deployment no replica has seen fail.
    if (!failed && stored === undefined && !this.own.has(deployment) && !this.others.has(deployment)) return;
    const state = stored ?? CLOSED_BREAKER;
    const now = this.clock.now();
    const before = fleetCounts(this.tallies(deployment), now, policy.windowMs);
    const next = recordBreakerOutcome({ ...state, ...before, windowStart: now }, failed, now, policy);
    const tally = tallyOutcome(this.own.get(deployment), failed, now, policy);
    this.own.set(deployment, tally);
    this.policies.set(deployment, policy);
    this.store.set(`${TALLY_PREFIX}${deployment}|${this.replicaId}`, tally, { ttlMs: TALLY_TTL_MS });
    this.seen.set(key, next.state);
    // An opened (or closed) breaker goes to every replica at once.
    if (next.state !== state.state) this.store.set(key, next, { broadcast: true });
  }

  /** Breaker states as this replica last saw them (synchronous, for metrics). */
  localStates(): Array<{ provider: string; model: string; state: BreakerState['state'] }> {
    return [...this.seen].map(([key, state]) => ({ ...splitDeployment(key.slice(PREFIX.length)), state }));
  }

  /** Every known deployment's breaker state with the fleet's consecutive failures, for the admin API and metrics. */
  async snapshot(): Promise<Array<{ provider: string; model: string; state: BreakerState['state']; consecutiveFailures: number; openedAt?: number }>> {
    const states = new Map((await this.store.entries<BreakerState>(PREFIX)).map(([key, state]) => [key.slice(PREFIX.length), state]));
    const now = this.clock.now();
    const deployments = new Set([...states.keys(), ...this.own.keys(), ...this.others.keys()]);
    return [...deployments].map((deployment) => {
      const state = states.get(deployment) ?? CLOSED_BREAKER;
      // Routes may give one deployment different windows; the consecutive count does not depend on any.
      const { consecutiveFailures } = fleetCounts(this.tallies(deployment), now, Infinity);
      const row: { provider: string; model: string; state: BreakerState['state']; consecutiveFailures: number; openedAt?: number } = {
        ...splitDeployment(deployment),
        state: state.state,
        consecutiveFailures,
      };
      if (state.openedAt !== undefined) row.openedAt = state.openedAt;
      return row;
    });
  }

  /** This replica's tally and the other replicas' unexpired ones for a deployment. */
  private *tallies(deployment: string): Iterable<BreakerTally> {
    const own = this.own.get(deployment);
    if (own) yield own;
    const others = this.others.get(deployment);
    if (!others) return;
    const now = this.clock.now();
    for (const [replica, { tally, expiresAt }] of others) {
      if (expiresAt > now) yield tally;
      else others.delete(replica);
    }
  }

  /** Takes in a tally another replica wrote (a merge, a read-back, or what the store held at start). */
  private applyTally(key: string, value: unknown, ttlMs: number | undefined): void {
    const rest = key.slice(TALLY_PREFIX.length);
    const bar = rest.lastIndexOf('|');
    const replica = rest.slice(bar + 1);
    if (bar <= 0 || replica === this.replicaId || !isTally(value)) return;
    const deployment = rest.slice(0, bar);
    const tallies = this.others.get(deployment) ?? new Map<string, { tally: BreakerTally; expiresAt: number }>();
    tallies.set(replica, { tally: value, expiresAt: this.clock.now() + (ttlMs ?? TALLY_TTL_MS) });
    this.others.set(deployment, tallies);
    this.reconsider(deployment);
  }

  private stateKey(deployment: string): string {
    let key = this.stateKeys.get(deployment);
    if (key === undefined) {
      if (this.stateKeys.size >= MAX_STATE_KEYS) this.stateKeys.clear();
      key = `${PREFIX}${deployment}`;
      this.stateKeys.set(deployment, key);
    }
    return key;
  }

  /**
   * Opens a closed breaker once the fleet's failures reach the policy, without waiting for a failure here: failures
   * that landed on several replicas within one merge open it as soon as they are summed.
   */
  private reconsider(deployment: string): void {
    const policy = this.policies.get(deployment);
    if (!policy) return;
    const key = `${PREFIX}${deployment}`;
    const state = this.store.get<BreakerState>(key) ?? CLOSED_BREAKER;
    const now = this.clock.now();
    const counts = fleetCounts(this.tallies(deployment), now, policy.windowMs);
    if (state.state !== 'closed' || !breakerTripped(counts, policy)) return;
    this.seen.set(key, 'open');
    this.store.set(key, { ...state, ...counts, windowStart: now, state: 'open', openedAt: now }, { broadcast: true });
  }
}
