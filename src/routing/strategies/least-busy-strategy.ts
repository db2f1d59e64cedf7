import { statisticsOf, type RankedTarget, type StrategyInput } from './ranked-target.js';

/**
 * Fewest upstream attempts in flight first. Equal counts are ordered by a random draw per target, so idle
 * deployments share sequential traffic instead of the first in config order taking all of it.
 */
export function rankByLeastBusy(input: StrategyInput): RankedTarget[] {
  return input.targets
    .map((target) => ({ target, inFlight: statisticsOf(input, target)?.inFlight ?? 0, draw: input.random.next() }))
    .sort((a, b) => a.inFlight - b.inFlight || a.draw - b.draw)
    .map(({ target, inFlight }) => ({ target, reason: `least-busy: ${inFlight} in flight` }));
}
