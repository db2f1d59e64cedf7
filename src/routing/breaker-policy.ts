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

/** Whether a request may use the deployment now; a half-open breaker lets exactly one probe through per cooldown. */
export function admitThroughBreaker(state: BreakerState, now: number, policy: BreakerPolicy): { admit: boolean; next: BreakerState; reason: string } {
  if (state.state === 'closed') return { admit: true, next: state, reason: 'breaker closed' };
  if (state.state === 'open') {
    if (now - (state.openedAt ?? 0) < policy.cooldownMs) return { admit: false, next: state, reason: 'breaker open' };
    return { admit: true, next: { ...state, state: 'half-open', probeStartedAt: now }, reason: 'breaker half-open: probe' };
  }
  const probeStuck = state.probeStartedAt === undefined || now - state.probeStartedAt >= policy.cooldownMs;
  if (probeStuck) return { admit: true, next: { ...state, probeStartedAt: now }, reason: 'breaker half-open: probe' };
  return { admit: false, next: state, reason: 'breaker half-open: probe in flight' };
}

/** Folds one attempt's outcome into the breaker: opens on N consecutive failures or a high error rate, closes on a good probe. */
export function recordBreakerOutcome(state: BreakerState, failed: boolean, now: number, policy: BreakerPolicy): BreakerState {
  const windowExpired = now - state.windowStart >= policy.windowMs;
  const base = windowExpired ? { windowStart: now, windowTotal: 0, windowFailures: 0 } : state;
  const windowTotal = base.windowTotal + 1;
  const windowFailures = base.windowFailures + (failed ? 1 : 0);
  if (!failed) {
    return { state: 'closed', consecutiveFailures: 0, windowStart: base.windowStart, windowTotal, windowFailures };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const rateTripped = windowTotal >= policy.minRequests && windowFailures / windowTotal >= policy.errorRate;
  const open = state.state === 'half-open' || consecutiveFailures >= policy.failureThreshold || rateTripped;
  const next: BreakerState = { state: open ? 'open' : 'closed', consecutiveFailures, windowStart: base.windowStart, windowTotal, windowFailures };
  if (open) next.openedAt = now;
  return next;
}
