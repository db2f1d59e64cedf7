import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { DEFAULT_BREAKER, DEFAULT_RETRY, DEFAULT_TIMEOUTS, type ModelRoute } from '../config/gateway-config.js';
import { rankPlan } from './rank-plan.js';
import type { RoutePlan } from './resolve-route.js';
import { pricedTarget } from './strategies/strategy-test-targets.js';

const route = (strategy: ModelRoute['strategy']): ModelRoute => ({
  name: 'm',
  strategy,
  targets: [],
  retry: DEFAULT_RETRY,
  timeouts: DEFAULT_TIMEOUTS,
  breaker: DEFAULT_BREAKER,
  resumeOnStall: false,
  expectedOutputTokens: 300,
});
const dear = pricedTarget('dear', { input: 5, output: 15 });
const cheap = pricedTarget('cheap', { input: 0.1, output: 0.4 });
const plan = (strategy: ModelRoute['strategy']): RoutePlan => ({
  route: route(strategy),
  targets: [dear, cheap],
  decisions: [
    { providerId: 'dear', model: 'm', action: 'try', reason: `${strategy}: config order` },
    { providerId: 'small', model: 'm', action: 'skip', reason: 'context: too small' },
    { providerId: 'cheap', model: 'm', action: 'try', reason: 'fallback #2' },
  ],
});
const request = { model: 'm', stream: false, messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }] };
const context = { statistics: new Map(), random: seededRandom(1), countPromptTokens: () => 42 };

describe('ranking a fitted plan', () => {
  it('reorders by the strategy, says why for each tried target and keeps the skips after them', () => {
    const ranked = rankPlan(plan('cost'), request, context);
    expect(ranked.targets).toEqual([cheap, dear]);
    expect(ranked.decisions.map((d) => `${d.providerId} ${d.action}: ${d.reason}`)).toEqual([
      'cheap try: cost: cheapest, ~$0.000124 (est. 42 in + 300 out)',
      'dear try: cost: #2, ~$0.00471 (est. 42 in + 300 out)',
      'small skip: context: too small',
    ]);
  });

  it('leaves fallback and weighted plans as they are', () => {
    const fallback = plan('fallback');
    expect(rankPlan(fallback, request, context)).toBe(fallback);
  });
});
