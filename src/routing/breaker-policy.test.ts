import { describe, expect, it } from 'vitest';
import type { BreakerPolicy } from '../config/gateway-config.js';
import { CLOSED_BREAKER, admitThroughBreaker, countsAgainstDeployment, fleetCounts, recordBreakerOutcome, tallyOutcome, type BreakerState, type BreakerTally } from './breaker-policy.js';

const policy: BreakerPolicy = { failureThreshold: 3, errorRate: 0.5, minRequests: 10, windowMs: 1000, cooldownMs: 500 };

function run(outcomes: boolean[], start = 0): BreakerState {
  return outcomes.reduce((state, failed, i) => recordBreakerOutcome(state, failed, start + i, policy), CLOSED_BREAKER);
}

describe('breaker policy', () => {
  it('opens after N consecutive failures and skips while open', () => {
    const state = run([true, true, true]);
    expect(state.state).toBe('open');
    expect(admitThroughBreaker(state, 10, policy).admit).toBe(false);
  });

  it('opens on the error rate over the window once enough requests were seen', () => {
    const state = run([true, false, true, false, true, false, true, false, true, true].map((f, i) => (i === 9 ? true : f)));
    expect(state.state).toBe('open');
    expect(run([true, false, true, false]).state).toBe('closed');
  });

  it('lets one probe through after the cooldown and closes on its success', () => {
    const open = run([true, true, true]);
    const probe = admitThroughBreaker(open, 600, policy);
    expect(probe).toMatchObject({ admit: true, reason: 'breaker half-open: probe' });
    expect(admitThroughBreaker(probe.next, 601, policy).admit).toBe(false);
    expect(recordBreakerOutcome(probe.next, false, 650, policy).state).toBe('closed');
    expect(recordBreakerOutcome(probe.next, true, 650, policy).state).toBe('open');
  });

  it('stays open when a request let through before it opened answers late: only the probe closes it', () => {
    const open = run([true, true, true]);
    const late = recordBreakerOutcome(open, false, 10, policy);
    expect(late).toMatchObject({ state: 'open', openedAt: 2 });
    expect(admitThroughBreaker(late, 20, policy).admit).toBe(false);
    // A late failure neither restarts the cooldown.
    expect(recordBreakerOutcome(open, true, 10, policy)).toMatchObject({ state: 'open', openedAt: 2 });
  });

  it('ignores the request’s own faults', () => {
    expect(countsAgainstDeployment('upstream_bad_request')).toBe(false);
    expect(countsAgainstDeployment('client_closed')).toBe(false);
    expect(countsAgainstDeployment('upstream_overloaded')).toBe(true);
  });

  it('sums replicas\u2019 tallies: failures after the newest success anywhere, and the windows still running', () => {
    const tally = (outcomes: Array<[boolean, number]>): BreakerTally =>
      outcomes.reduce<BreakerTally | undefined>((current, [failed, at]) => tallyOutcome(current, failed, at, policy), undefined) as BreakerTally;
    const one = tally([[true, 1], [true, 2], [true, 3], [true, 4]]);
    // A replica keeps at most the threshold's worth of failures: more cannot change the verdict.
    expect(one.failuresAt).toEqual([2, 3, 4]);
    const two = tally([[true, 5], [false, 6], [true, 7]]);
    expect(fleetCounts([one, two], 8, policy.windowMs)).toEqual({ consecutiveFailures: 1, windowTotal: 7, windowFailures: 6 });
    const stale = tally([[true, 7]]);
    expect(fleetCounts([one, two, stale], 1004, policy.windowMs)).toEqual({ consecutiveFailures: 2, windowTotal: 4, windowFailures: 3 });
  });
});
