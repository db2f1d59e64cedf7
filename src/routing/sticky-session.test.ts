import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../core/index.js';
import { DEFAULT_BREAKER, DEFAULT_RETRY, DEFAULT_TIMEOUTS } from '../config/gateway-config.js';
import type { RoutePlan } from './resolve-route.js';
import { pricedTarget } from './strategies/strategy-test-targets.js';
import { pinSession, sessionKeyOf } from './sticky-session.js';

const request = (extra: Partial<CanonicalRequest>): CanonicalRequest => ({ model: 'chat', stream: false, messages: [], ...extra });

describe('sticky sessions', () => {
  it('takes the session from the header, then metadata.session, then the Responses prompt_cache_key, then the OpenAI user field', () => {
    const all = request({ metadata: { session: 'meta' }, user: 'user-1' });
    expect(sessionKeyOf(all, 'header')).toBe('header');
    expect(sessionKeyOf(all, undefined)).toBe('meta');
    expect(sessionKeyOf(request({ user: 'user-1' }), undefined)).toBe('user-1');
    expect(sessionKeyOf(request({ cacheKey: 'codex-thread', user: 'user-1' }), undefined)).toBe('codex-thread');
    expect(sessionKeyOf(request({}), undefined)).toBeUndefined();
    expect(sessionKeyOf(request({}), 'x'.repeat(10_000))).toHaveLength(256);
  });

  it('moves the pinned deployment first and says why; an unknown pin changes nothing', () => {
    const [a, b] = [pricedTarget('a', undefined), pricedTarget('b', undefined)];
    const plan: RoutePlan = {
      route: { name: 'chat', strategy: 'fallback', targets: [], retry: DEFAULT_RETRY, timeouts: DEFAULT_TIMEOUTS, breaker: DEFAULT_BREAKER, resumeOnStall: false },
      targets: [a, b],
      decisions: [
        { providerId: 'a', model: 'm', action: 'try', reason: 'fallback order' },
        { providerId: 'b', model: 'm', action: 'try', reason: 'fallback #1' },
      ],
    };
    const pinned = pinSession(plan, 'b/m');
    expect(pinned.targets).toEqual([b, a]);
    expect(pinned.decisions.map((d) => `${d.providerId}: ${d.reason}`)).toEqual(['b: sticky session (served it last)', 'a: fallback order']);
    expect(pinSession(plan, 'gone/m')).toBe(plan);
  });
});
