import type { ErrorCode } from '../core/index.js';
import type { BreakerPolicy } from '../config/gateway-config.js';

/** A deployment's breaker: consecutive failures plus a fixed window of outcomes. */
export interface BreakerState {
  state: 'closed' | 'open' | 'half-open';
  consecutiveFailures: number;
  windowStart: number;
  windowTotal: number;
  windowFailures: number;
  openedAt?: number;
  /** When half-open, the probe currently let through (its start time), so only one goes at a time. */
  probeStartedAt?: number;
}

export const CLOSED_BREAKER: BreakerState = { state: 'closed', consecutiveFailures: 0, windowStart: 0, windowTotal: 0, windowFailures: 0 };

/** Outcomes that say the deployment is unhealthy; the request's own faults and client aborts never count. */
export function countsAgainstDeployment(outcome: 'ok' | ErrorCode): boolean {
  switch (outcome) {
    case 'upstream_rate_limited':
    case 'upstream_overloaded':
    case 'upstream_server_error':
    case 'upstream_timeout':
    case 'upstream_stalled':
    case 'upstream_connection_error':
    case 'upstream_malformed_response':
    case 'upstream_authentication':
      return true;
    default:
      return false;
  }
}

/** A breaker's answer to one request: whether it may go, why, and the state to keep. */
export interface BreakerVerdict {
  admit: boolean;
  next: BreakerState;
  reason: string;
}

/** Why a closed breaker lets a request through (also what the breakers answer from memory without this function). */
export const BREAKER_CLOSED_REASON = 'breaker closed';

/** Whether a request may use the deployment now; a half-open breaker lets exactly one probe through per cooldown. */
export function admitThroughBreaker(state: BreakerState, now: number, policy: BreakerPolicy): BreakerVerdict {
  if (state.state === 'closed') return { admit: true, next: state, reason: BREAKER_CLOSED_REASON };
  if (state.state === 'open') {
    if (now - (state.openedAt ?? 0) < policy.cooldownMs) return { admit: false, next: state, reason: 'breaker open' };
    return { admit: true, next: { ...state, state: 'half-open', probeStartedAt: now }, reason: 'breaker half-open: probe' };
  }
  const probeStuck = state.probeStartedAt === undefined || now - state.probeStartedAt >= policy.cooldownMs;
  if (probeStuck) return { admit: true, next: { ...state, probeStartedAt: now }, reason: 'breaker half-open: probe' };
  return { admit: false, next: state, reason: 'breaker half-open: probe in flight' };
}

/** Whether failure counts open a closed breaker: N consecutive failures, or a high error rate over enough requests. */
export function breakerTripped(counts: Pick<BreakerState, 'consecutiveFailures' | 'windowTotal' | 'windowFailures'>, policy: BreakerPolicy): boolean {
  const rateTripped = counts.windowTotal >= policy.minRequests && counts.windowFailures / counts.windowTotal >= policy.errorRate;
  return counts.consecutiveFailures >= policy.failureThreshold || rateTripped;
}

/** Folds one attempt's outcome into the breaker: opens on N consecutive failures or a high error rate, closes on a good probe. */
export function recordBreakerOutcome(state: BreakerState, failed: boolean, now: number, policy: BreakerPolicy): BreakerState {
  // An open breaker admits nothing, so this answer is from a request let through before it opened: a late success
  // must not close it for the whole fleet (only the half-open probe's does), nor a late failure restart the cooldown.
  if (state.state === 'open') return state;
  const windowExpired = now - state.windowStart >= policy.windowMs;
  const base = windowExpired ? { windowStart: now, windowTotal: 0, windowFailures: 0 } : state;
  const windowTotal = base.windowTotal + 1;
  const windowFailures = base.windowFailures + (failed ? 1 : 0);
  if (!failed) {
    return { state: 'closed', consecutiveFailures: 0, windowStart: base.windowStart, windowTotal, windowFailures };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const open = state.state === 'half-open' || breakerTripped({ consecutiveFailures, windowTotal, windowFailures }, policy);
  const next: BreakerState = { state: open ? 'open' : 'closed', consecutiveFailures, windowStart: base.windowStart, windowTotal, windowFailures };
  if (open) next.openedAt = now;
  return next;
}

/**
 * One replica's own outcomes on a deployment, shared with the others so that breaker counts add up across replicas
 * (a replica reads every replica's tally and decides on the sum). Times are wall-clock, comparable between processes.
 */
export interface BreakerTally {
  /** When this replica's failures since its own last success happened, oldest first; at most the threshold's worth. */
  failuresAt: number[];
  /** This replica's last success, which ends every run of failures before it, on every replica. */
  lastSuccessAt?: number;
  windowStart: number;
  windowTotal: number;
  windowFailures: number;
}

/** A replica's tally after one outcome: a success clears its run of failures, a failure joins it. */
export function tallyOutcome(tally: BreakerTally | undefined, failed: boolean, now: number, policy: BreakerPolicy): BreakerTally {
  const windowExpired = tally === undefined || now - tally.windowStart >= policy.windowMs;
  const window = windowExpired ? { windowStart: now, windowTotal: 0, windowFailures: 0 } : tally;
  const counted = { windowStart: window.windowStart, windowTotal: window.windowTotal + 1, windowFailures: window.windowFailures + (failed ? 1 : 0) };
  if (!failed) return { failuresAt: [], lastSuccessAt: now, ...counted };
  // Only whether the fleet reached the threshold matters, so one replica never needs to keep more than that many.
  const failuresAt = [...(tally?.failuresAt ?? []), now].slice(-policy.failureThreshold);
  return { failuresAt, ...(tally?.lastSuccessAt === undefined ? {} : { lastSuccessAt: tally.lastSuccessAt }), ...counted };
}

/**
 * The fleet's counts from every replica's tally: consecutive failures are the failures after the newest success
 * anywhere, the error-rate window sums the replicas' windows still running (`windowMs` long).
 */
export function fleetCounts(tallies: Iterable<BreakerTally>, now: number, windowMs: number): Pick<BreakerState, 'consecutiveFailures' | 'windowTotal' | 'windowFailures'> {
  const all = [...tallies];
  const lastSuccess = Math.max(-Infinity, ...all.map((tally) => tally.lastSuccessAt ?? -Infinity));
  let consecutiveFailures = 0;
  let windowTotal = 0;
  let windowFailures = 0;
  for (const tally of all) {
    consecutiveFailures += tally.failuresAt.filter((at) => at >= lastSuccess).length;
    if (now - tally.windowStart >= windowMs) continue;
    windowTotal += tally.windowTotal;
    windowFailures += tally.windowFailures;
  }
  return { consecutiveFailures, windowTotal, windowFailures };
}
