import { describe, expect, it } from 'vitest';
import { interpolateEnv, type MissingVariable } from './interpolate-env.js';

describe('interpolateEnv', () => {
  it('reports an unset variable without a default with its path and leaves the text unresolved', () => {
    const missing: MissingVariable[] = [];
    const out = interpolateEnv({ providers: { local: { base_url: 'https://${UNSET_HOST}/v1' } } }, {}, missing);
    expect(missing).toEqual([{ path: 'providers.local.base_url', variable: 'UNSET_HOST' }]);
    // Never `https:///v1`, which a URL parser reads as host `v1` and would send the key there.
    expect(out).toEqual({ providers: { local: { base_url: 'https://${UNSET_HOST}/v1' } } });
  });

  it('treats a variable set to the empty string like an unset one', () => {
    const missing: MissingVariable[] = [];
    interpolateEnv('${EMPTY}', { EMPTY: '' }, missing);
    expect(missing.map((m) => m.variable)).toEqual(['EMPTY']);
  });

  it('uses the default after :- , including an explicit empty default', () => {
    const missing: MissingVariable[] = [];
    expect(interpolateEnv(['${A:-x}', 'k=${B:-}', '${C}'], { C: 'c' }, missing)).toEqual(['x', 'k=', 'c']);
    expect(missing).toEqual([]);
  });
});
