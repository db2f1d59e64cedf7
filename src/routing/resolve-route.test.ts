import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { parseConfigText } from '../config/load-config.js';
import { planRoute } from './resolve-route.js';

const CONFIG = `
providers:
  a: { type: simulated }
  b: { type: simulated }
models:
  split:
    strategy: weighted
    seed: 7
    targets: [{ provider: a, model: echo, weight: 1 }, { provider: b, model: echo, weight: 1 }]
`;

function firstPicks(count: number): string[] {
  const config = parseConfigText(CONFIG, 'route.yaml', {}).config!;
  return Array.from({ length: count }, () => planRoute('split', config, seededRandom(1)).targets[0]!.provider.id);
}

describe('planRoute with a seeded weighted route', () => {
  it('spreads successive requests over the targets instead of repeating the first draw', () => {
    expect(new Set(firstPicks(20))).toEqual(new Set(['a', 'b']));
  });

  it('draws the same sequence for the same seed in a fresh config', () => {
    expect(firstPicks(20)).toEqual(firstPicks(20));
  });
});

describe('planRoute with an unknown model', () => {
  const config = parseConfigText('providers:\n  a: { type: simulated }\n', 'route.yaml', {}).config!;

  it('names the key variable when the model names a provider type that is not configured', () => {
    expect(() => planRoute('anthropic/claude-sonnet-4-5', config, seededRandom(1))).toThrow(
      /no provider `anthropic` is configured: set ANTHROPIC_API_KEY for the built-in default, or add a provider of type anthropic to your config/,
    );
  });

  it('lists the configured providers for any other unknown name', () => {
    expect(() => planRoute('nope', config, seededRandom(1))).toThrow(/one of the configured providers \(a, simulated\)/);
  });
});
