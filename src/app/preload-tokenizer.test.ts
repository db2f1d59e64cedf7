import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { configCountsTokens, preloadTokenizer } from './preload-tokenizer.js';

const PROVIDERS = 'providers:\n  sim: { type: simulated }\n';

function config(text: string): GatewayConfig {
  const loaded = parseConfigText(text, 'test.yaml', {});
  if (!loaded.config) throw new Error(JSON.stringify(loaded.issues));
  return loaded.config;
}

describe('which configs count tokens as a matter of course', () => {
  it('not one that only routes', () => {
    expect(configCountsTokens(config(`${PROVIDERS}models:\n  main: { targets: [{ provider: sim, model: echo }] }\n`))).toBe(false);
  });

  it('not one whose limits count requests only', () => {
    const text = `auth:\n  teams:\n    ops: { limits: { rpm: 10 } }\nproviders:\n  sim: { type: simulated, limits: { rpm: 100 } }\nmodels:\n  main: { targets: [{ provider: sim, model: echo }], limits: { rpm: 5 } }\n`;
    expect(configCountsTokens(config(text))).toBe(false);
  });

  it.each([
    ['virtual keys required', `auth: { require_keys: true }\n${PROVIDERS}`],
    ['a team budget', `auth:\n  teams:\n    ops: { budget: { daily_usd: 5 } }\n${PROVIDERS}`],
    ['a team TPM limit', `auth:\n  teams:\n    ops: { limits: { tpm: 1000 } }\n${PROVIDERS}`],
    ['a deployment TPM limit', 'providers:\n  sim: { type: simulated, limits: { tpm: 1000 } }\n'],
    ['an alias TPM limit', `${PROVIDERS}models:\n  main: { targets: [{ provider: sim, model: echo }], limits: { tpm: 1000 } }\n`],
    ['a route ranked by cost', `${PROVIDERS}models:\n  main: { strategy: cost, targets: [{ provider: sim, model: echo }] }\n`],
    ['a task class ranked by cost', `${PROVIDERS}models:\n  main:\n    targets: [{ provider: sim, model: echo }]\n    tasks:\n      code: { strategy: cost }\n`],
  ])('%s', (_name, text) => {
    expect(configCountsTokens(config(text))).toBe(true);
  });
});

describe('preloading the tokenizer', () => {
  it('reports the main encoding loaded for a config that counts tokens, and none for one that does not', () => {
    expect(preloadTokenizer(config(`auth: { require_keys: true }\n${PROVIDERS}`))).toEqual(['o200k_base']);
    expect(preloadTokenizer(config(PROVIDERS))).toEqual([]);
  });
});
