import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ResolvedKey, VirtualKey } from '../ports/virtual-key.js';
import { keyHoldsDelegation, restrictedLineTag } from './delegation-hold.js';
import { compileModelGlobs } from './model-glob.js';

function config(extra = ''): GatewayConfig {
  const result = parseConfigText(`${extra}providers:\n  sim: { type: simulated }\n`, 'hold.yaml', {});
  if (!result.config) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function keyWith(fields: Partial<VirtualKey> = {}): ResolvedKey {
  const key: VirtualKey = { id: 'key_1', name: 'k', prefix: 'sk-sy-AbCd', hash: 'h', models: [], limits: {}, budget: {}, tags: {}, createdAt: 0, updatedAt: 0, ...fields };
  return { key, models: compileModelGlobs(key.models) };
}

describe('keyHoldsDelegation', () => {
  it('lets a job without a key, or with a key that limits nothing, leave the lane', () => {
    expect(keyHoldsDelegation(undefined, 'bulk', config())).toBeUndefined();
    expect(keyHoldsDelegation(keyWith(), 'bulk', config())).toBeUndefined();
  });

  it('holds a job whose model the key may not use, or whose key or team has a budget or rate limits', () => {
    expect(keyHoldsDelegation(keyWith({ models: ['cheap-*'] }), 'bulk', config())).toBe('key sk-sy-AbCd… may not use model bulk');
    expect(keyHoldsDelegation(keyWith({ budget: { totalUsd: 1 } }), 'bulk', config())).toMatch(/budget or rate limits/);
    expect(keyHoldsDelegation(keyWith({ limits: { tpm: 1000 } }), 'bulk', config())).toMatch(/budget or rate limits/);
    const teams = config('auth:\n  teams:\n    research: { budget: { monthly_usd: 100 } }\n');
    expect(keyHoldsDelegation(keyWith({ team: 'research' }), 'bulk', teams)).toBe('team research has a budget or rate limits');
  });
});

describe('restrictedLineTag', () => {
  const policy = config('data_policy: { trusted_only_tags: [confidential] }\n');

  it('finds a restricted tag in any line, or among the key tags', () => {
    expect(restrictedLineTag([{}, { confidential: 'yes' }], undefined, policy)).toBe('confidential');
    expect(restrictedLineTag([{}], keyWith({ tags: { confidential: 'true' } }), policy)).toBe('confidential');
    expect(restrictedLineTag([], keyWith({ tags: { confidential: 'true' } }), policy)).toBe('confidential');
  });

  it('finds none when the tag is false, absent or no policy restricts tags', () => {
    expect(restrictedLineTag([{ confidential: 'false' }, undefined], undefined, policy)).toBeUndefined();
    expect(restrictedLineTag([{ confidential: 'yes' }], undefined, config())).toBeUndefined();
  });
});
