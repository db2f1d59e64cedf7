import type { Clock, ErrorCode, Target } from '../core/index.js';
import type { BreakerPolicy } from '../config/gateway-config.js';
import type { StateStore } from '../ports/state-store.js';
import { CLOSED_BREAKER, admitThroughBreaker, countsAgainstDeployment, recordBreakerOutcome, type BreakerState } from '../routing/breaker-policy.js';

const PREFIX = 'breaker:';

function keyOf(target: Target): string {
  return `${PREFIX}${target.provider.id}/${target.model}`;
}

function splitKey(key: string): { provider: string; model: string } {
  const deployment = key.slice(PREFIX.length);
  const slash = deployment.indexOf('/');
  return { provider: deployment.slice(0, slash), model: deployment.slice(slash + 1) };
}

/**
 * Breakers per deployment (provider + model), kept in the StateStore so replicas share them: a state change is
 * broadcast, failure counts merge on the store's interval (each replica's last write wins).
 */
export class DeploymentBreakers {
  /** The last state this replica saw per deployment, for synchronous metric scrapes. */
  private readonly seen = new Map<string, BreakerState['state']>();

  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
  ) {}

  /** Whether the deployment may be tried now, and why. Skipping an open breaker costs one state read. */
  async admit(target: Target, policy: BreakerPolicy): Promise<{ admit: boolean; reason: string }> {
    const key = keyOf(target);
    const state = (await this.store.get<BreakerState>(key)) ?? CLOSED_BREAKER;
    const verdict = admitThroughBreaker(state, this.clock.now(), policy);
    if (verdict.next !== state) {
      // Replicas sharing the store race for the first probe after the cooldown: one claim, one probe fleet-wide.
      const firstProbe = state.state === 'open' && verdict.next.state === 'half-open';
      if (firstProbe && !(await this.store.claim(`probe:${key}:${state.openedAt ?? 0}`, policy.cooldownMs))) {
        return { admit: false, reason: 'breaker half-open: probe in flight on another replica' };
      }
      await this.store.set(key, verdict.next, { broadcast: verdict.next.state !== state.state });
    }
    this.seen.set(key, verdict.next.state);
    return { admit: verdict.admit, reason: verdict.reason };
  }

  /** Records an attempt's outcome; outcomes that are not the deployment's fault are ignored. */
  async record(target: Target, outcome: 'ok' | ErrorCode, policy: BreakerPolicy): Promise<void> {
    const failed = countsAgainstDeployment(outcome);
    if (!failed && outcome !== 'ok') return;
    const key = keyOf(target);
    const state = (await this.store.get<BreakerState>(key)) ?? CLOSED_BREAKER;
    if (!failed && state === CLOSED_BREAKER) return;
    const next = recordBreakerOutcome(state, failed, this.clock.now(), policy);
    this.seen.set(key, next.state);
    // An opened (or closed) breaker goes to every replica at once; counts travel with the next merge.
    await this.store.set(key, next, { broadcast: next.state !== state.state });
  }

  /** Breaker states as this replica last saw them (synchronous, for metrics). */
  localStates(): Array<{ provider: string; model: string; state: BreakerState['state'] }> {
    return [...this.seen].map(([key, state]) => {
      const { provider, model } = splitKey(key);
      return { provider, model, state };
    });
  }

  /** Every known deployment's breaker state, for the admin API and metrics. */
  async snapshot(): Promise<Array<{ provider: string; model: string; state: BreakerState['state']; consecutiveFailures: number; openedAt?: number }>> {
    const entries = await this.store.entries<BreakerState>(PREFIX);
    return entries.map(([key, state]) => {
      const row: { provider: string; model: string; state: BreakerState['state']; consecutiveFailures: number; openedAt?: number } = {
        ...splitKey(key),
        state: state.state,
        consecutiveFailures: state.consecutiveFailures,
      };
      if (state.openedAt !== undefined) row.openedAt = state.openedAt;
      return row;
    });
  }
}
