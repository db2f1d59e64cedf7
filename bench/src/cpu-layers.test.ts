import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAYERS, layerCosts, layerOf, newestMapEntries, parseLeafSamples } from './cpu-layers.js';

const fixture = readFileSync(new URL('./__fixtures__/perf-script-leaves.txt', import.meta.url), 'utf8');

describe('parseLeafSamples', () => {
  it('reads one sample per line of `perf script -F tid,ip,sym,dso` and skips anything else', () => {
    const samples = parseLeafSamples(fixture);
    expect(samples).toHaveLength(18);
    expect(samples[2]).toEqual({ tid: 100, symbol: 'JS:*writeResponse file:///srv/switchyard/dist/http/serve-completion.js:222:29', dso: '/tmp/perf-100.map' });
  });
});

describe('layerOf', () => {
  it('names each leaf by what runs it: our JS, a package, Node, V8, libc or the kernel', () => {
    const main = parseLeafSamples(fixture).filter((sample) => sample.tid === 100);
    expect(main.map(layerOf)).toEqual([
      'kernel',
      'gc',
      'switchyard',
      'undici',
      'undici',
      'fastify',
      'fastify',
      'node-js',
      'floor',
      'other-packages',
      'v8-builtins',
      'v8-runtime',
      'v8-runtime',
      'libc',
      'node-native',
      'node-native',
    ]);
  });
});

describe('layerCosts', () => {
  it("splits the CPU per request by the samples' shares, other threads in one layer, and the layers add up", () => {
    const costs = layerCosts(parseLeafSamples(fixture), 100, 180);
    expect(costs['other-threads']).toBeCloseTo(20, 9);
    expect(costs.fastify).toBeCloseTo(20, 9);
    expect(costs.switchyard).toBeCloseTo(10, 9);
    expect(LAYERS.reduce((sum, layer) => sum + costs[layer], 0)).toBeCloseTo(180, 9);
  });

  it('is NaN in every layer when nothing was sampled', () => {
    expect(Object.values(layerCosts([], 1, 100)).every(Number.isNaN)).toBe(true);
  });
});

describe('newestMapEntries', () => {
  it('keeps the later of two overlapping entries, so a reused address is named after the code that holds it now', () => {
    const map = ['1000 100 JS:*old a.js:1:1', '2000 10 JS:*kept b.js:1:1', '1080 40 JS:*new c.js:1:1', '3000 8 JS:*last d.js:1:1', ''].join('\n');
    expect(newestMapEntries(map)).toBe(['1080 40 JS:*new c.js:1:1', '2000 10 JS:*kept b.js:1:1', '3000 8 JS:*last d.js:1:1', ''].join('\n'));
  });
});
