import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { createModelLookup } from '../catalog/index.js';
import { GatewayError, systemRandom, type CanonicalRequest } from '../core/index.js';
import type { KeyDirectory, ResolvedKey, VirtualKey } from '../ports/virtual-key.js';
import type { WindowCounters } from '../ports/window-counters.js';
import { planRoute } from '../routing/resolve-route.js';
import { AccessGate } from './access-gate.js';
import { BudgetLedger } from './budget-ledger.js';

function unreachable(): never {
  throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
}

/** A limiter backend that is down: every call fails, as shared counters do while Redis is unreachable. */
const unreachableCounters: WindowCounters = { consume: unreachable, adjust: unreachable, peek: unreachable };

const key: VirtualKey = {
  id: 'key_1',
  name: 'limited',
  prefix: 'sk-sy-AbCdEf',
  hash: '00',
  models: [],
  limits: { rpm: 1 },
  budget: {},
  tags: {},
  createdAt: 0,
  updatedAt: 0,
};
const caller: ResolvedKey = { key, models: undefined };
const noKeys: KeyDirectory = { find: () => undefined };
const request: CanonicalRequest = { model: 'main', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false };

function configWith(mode: 'open' | 'closed'): GatewayConfig {
  const result = parseConfigText(
    `limits: { on_backend_error: ${mode} }\nproviders:\n  sim: { type: simulated, limits: { rpm: 5 } }\nmodels:\n  main: { targets: [{ provider: sim, model: echo }] }\n`,
    'gate.yaml',
    {},
  );
  if (!result.config) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

function gateFor(config: GatewayConfig, events: string[]): AccessGate {
  return new AccessGate({
    config: () => config,
    lookup: () => createModelLookup({}),
    keys: noKeys,
    counters: unreachableCounters,
    ledger: new BudgetLedger(),
    now: () => 0,
    events: { backendError: (_error, mode) => events.push(mode) },
  });
}

describe('AccessGate when the limiter backend is down', () => {
  it('lets the request through with limits.on_backend_error: open, and reports each failure', () => {
    const config = configWith('open');
    const events: string[] = [];
    const admission = gateFor(config, events).admit(caller, request, planRoute('main', config, systemRandom));
    expect(admission.plan.targets).toHaveLength(1);
    expect(admission.headers).toEqual({});
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((mode) => mode === 'open')).toBe(true);
  });

  it('refuses with 429 and a retry hint with limits.on_backend_error: closed', () => {
    const config = configWith('closed');
    const events: string[] = [];
    let refused: unknown;
    try {
      gateFor(config, events).admit(caller, request, planRoute('main', config, systemRandom));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 1000 });
    expect((refused as Error).message).toBe('The rate limiter is unavailable and limits.on_backend_error is closed; retry shortly');
    expect(events).toEqual(['closed']);
  });
});

describe('AccessGate settlement of a budget', () => {
  const priced = (() => {
    const result = parseConfigText(
      'providers:\n  sim:\n    type: simulated\n    models:\n      echo: { price: { input: 1000, output: 2000 } }\nmodels:\n  main: { targets: [{ provider: sim, model: echo }] }\n',
      'gate.yaml',
      {},
    );
    if (!result.config) throw new Error(JSON.stringify(result.issues));
    return result.config;
  })();
  const budgeted: ResolvedKey = { key: { ...key, limits: {}, budget: { dailyUsd: 100 } }, models: undefined };
  const ledger = new BudgetLedger();
  const gate = new AccessGate({ config: () => priced, lookup: () => createModelLookup(priced.catalogOverrides), keys: noKeys, counters: unreachableCounters, ledger, now: () => 0 });
  const scope = gate.budgetScopes(budgeted, priced)[0];
  const spent = (): number => (scope ? ledger.spent(scope, 'daily', 0) : Number.NaN);
  const admit = () => gate.admit(budgeted, { ...request, maxOutputTokens: 100 }, planRoute('main', priced, systemRandom));

  it('charges the cost of the real usage, and nothing for a call that failed before any upstream answered', () => {
    expect(admit().settle({ inputTokens: 10, outputTokens: 5 }, 0.02)).toBeUndefined();
    expect(spent()).toBeCloseTo(0.02, 10);
    expect(admit().settle(undefined, 0)).toBeUndefined();
    expect(spent()).toBeCloseTo(0.02, 10);
  });

  it('keeps the reserved estimate for an answered call whose usage never came, and returns it', () => {
    const before = spent();
    const charged = admit().settle(undefined, undefined);
    // 100 output tokens at $2,000 per million, and the prompt's few tokens at $1,000.
    expect(charged).toBeGreaterThan(0.2);
    expect(charged).toBeLessThan(0.25);
    expect(spent() - before).toBeCloseTo(charged ?? Number.NaN, 10);
  });
});
