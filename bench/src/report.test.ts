import { describe, expect, it } from 'vitest';
import { LAYERS, type Layer } from './cpu-layers.js';
import { renderFloorsTable, renderLayersTable, renderTable, type BenchReport } from './report.js';
import type { LatencyRow } from './scenarios/overhead.js';

function row(target: string, addedP50Ms: number): LatencyRow {
  return { target, p50Ms: addedP50Ms + 0.1, p99Ms: 1, addedP50Ms, addedP99Ms: 0.5, requests: 1000, errors: 0 };
}

function jsonP50Line(proxy: number, portkey: number): string {
  const report: BenchReport = {
    startedAt: '2026-12-06T00:00:00.000Z',
    machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux', loadAverageStart: [0, 0, 0] },
    overhead: [{ workload: 'chat', rounds: 1, rows: [row('direct', 0), row('proxy', proxy), row('switchyard-keys', 0.3), row('portkey', portkey)] }],
  };
  const line = renderTable(report)
    .split('\n')
    .find((text) => text.includes('added p50 ms'));
  if (line === undefined) throw new Error('no added p50 row');
  return line;
}

describe('the added-latency rows against Portkey', () => {
  it("print the fifth of Portkey's added latency the target is judged by", () => {
    const line = jsonP50Line(0.15, 1.5);
    expect(line).toContain('<= portkey/5 (0.300)');
    expect(line).not.toContain('the proxy itself');
  });

  it('say when the bare proxy itself adds more than that fifth', () => {
    expect(jsonP50Line(0.187, 0.843)).toContain('<= portkey/5 (0.169: the proxy itself adds more)');
  });
});

describe('the floors table', () => {
  it('prints a stream chunk’s user and system CPU for the targets that relay streams, and nothing for the others', () => {
    const base = { addedP50Ms: 0.2, requestsPerSecond: 1000, ratioToProxy: 1, errors: 0 };
    const lines = renderFloorsTable({
      rounds: 1,
      rows: [
        { ...base, target: 'floor-node', chunkUserUs: 30.66, chunkSystemUs: 19.3 },
        { ...base, target: 'floor-fastify', chunkUserUs: Number.NaN, chunkSystemUs: Number.NaN },
      ],
    }).split('\n');
    expect(lines[0]).toContain('stream chunk CPU us, user / system');
    expect(lines.find((line) => line.includes('floor-node'))).toContain('30.7 / 19.3');
    expect(lines.find((line) => line.includes('floor-fastify'))).not.toMatch(/\d \/ \d/);
  });
});

describe('the throughput rows', () => {
  const through = (target: string, ratioToProxy: number) => ({ target, requestsPerSecond: 5000 * ratioToProxy, p50Ms: 6, p99Ms: 9, ratioToProxy, ratioToPlain: 1, cpuUsPerRequest: 200, errors: 0 });
  const render = (rows: ReturnType<typeof through>[]): string[] =>
    renderTable({
      startedAt: '2026-12-06T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux', loadAverageStart: [0, 0, 0] },
      throughput: { workload: 'chat', connections: 32, rounds: 1, rows },
    }).split('\n');

  it("print the product floor's ratio beside the target, and say when it is below it", () => {
    const line = render([through('proxy', 1), through('switchyard-keys', 0.45), through('floor-product', 0.72)]).find((text) => text.includes('product floor'));
    expect(line).toContain('0.72 (3600 req/s, 200 us CPU/req)');
    expect(line).toContain('below 0.85');
  });

  it('leave the row out when the floor was not measured', () => {
    expect(render([through('proxy', 1), through('switchyard-keys', 0.45)]).some((text) => text.includes('product floor'))).toBe(false);
  });

  it.each([
    { key: 'agent', workload: 'agent', name: 'agent 100 KB', ratio: 0.5, verdict: 'ratio >= 0.85 (gap 0.35)' },
    { key: 'agentUnicode', workload: 'agent-unicode', name: 'agent 100 KB, one emoji', ratio: 0.9, verdict: 'yes' },
  ] as const)("judge the $workload request's rows by the same-format target, under their own name", ({ key, workload, name, ratio, verdict }) => {
    const lines = renderTable({
      startedAt: '2026-12-07T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux', loadAverageStart: [0, 0, 0] },
      [key]: { workload, connections: 32, rounds: 1, rows: [through('proxy', 1), through('switchyard-keys', ratio)] },
    }).split('\n');
    const line = lines.find((text) => text.includes(`${name} `) && text.includes('req/s'));
    expect(line).toContain(verdict);
  });
});

describe('the layers table', () => {
  it('prints a column per target, a row per layer any target spent time in, and the /proc total', () => {
    const layers = (spent: Partial<Record<Layer, number>>): Record<Layer, number> => Object.fromEntries(LAYERS.map((layer) => [layer, spent[layer] ?? 0])) as Record<Layer, number>;
    const lines = renderLayersTable({
      seconds: 5,
      rows: [
        { target: 'proxy', requests: 1000, cpuUsPerRequest: 100, samples: 500, layers: layers({ kernel: 60, 'node-js': 40 }), errors: 0 },
        { target: 'switchyard', requests: 500, cpuUsPerRequest: 300, samples: 900, layers: layers({ kernel: 80, switchyard: 220 }), errors: 2 },
      ],
    }).split('\n');
    expect(lines[0]).toMatch(/proxy\s*\|\s*switchyard/);
    expect(lines.find((line) => line.includes("Switchyard's JS"))).toMatch(/0\.0\s*\|\s*220\.0/);
    expect(lines.some((line) => line.includes('libc'))).toBe(false);
    expect(lines.find((line) => line.startsWith('| total'))).toMatch(/100\.0\s*\|\s*300\.0/);
    expect(lines.at(-1)).toMatch(/500 \/ 0\s*\|\s*900 \/ 2/);
  });

  it('says why nothing was measured when perf cannot run', () => {
    expect(renderLayersTable({ seconds: 5, rows: [], skipped: '`perf` is not installed (Debian: linux-perf)' })).toBe('layers: not measured: `perf` is not installed (Debian: linux-perf)');
  });
});

describe('the slow-streams rows', () => {
  it('print what each process held before the streams beside its peak, judging only the peak', () => {
    const stream = (target: string, rssBeforeMb: number, peakRssMb: number) => ({ target, failed: 0, stalled: 0, maxGapMs: 120, ttftP99Ms: 30, openAtOnce: 1000, rssBeforeMb, peakRssMb, cpuMsPerStream: 2 });
    const lines = renderTable({
      startedAt: '2026-12-07T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux', loadAverageStart: [0, 0, 0] },
      slowStreams: { streams: 1000, intervalMs: 100, deltas: 50, stallMs: 250, rows: [stream('proxy', 88, 125), stream('switchyard', 175, 206), stream('switchyard-keys', 234, 262)] },
    }).split('\n');
    // | scenario | metric | direct | proxy | switchyard | governed | realistic | portkey | target | met |
    const cellsOf = (metric: string): string[] => (lines.find((line) => line.includes(metric)) ?? '').split('|').slice(1, -1).map((cell) => cell.trim());
    const before = cellsOf('RSS MB before the streams');
    expect([before[3], before[4], before[6]]).toEqual(['88', '175', '234']);
    expect(before[9]).toBe('');
    const peak = cellsOf('peak RSS MB');
    expect([peak[6], peak[9]]).toEqual(['262', 'NO']);
  });
});

describe('the governance rows', () => {
  const result = (subject: 'switchyard' | 'product-floor', low: number, high: number) => ({
    subject,
    workload: 'chat' as const,
    connections: 32,
    pairs: 3,
    slices: 40,
    sliceMs: 250,
    ratio: (low + high) / 2,
    low,
    high,
    cpuRatio: 0.95,
    cpuLow: 0.93,
    cpuHigh: 0.97,
    pairRatios: [0.95, 0.96, 0.94],
    errors: 0,
  });
  const lines = (results: ReturnType<typeof result>[]): string[] =>
    renderTable({
      startedAt: '2026-12-08T00:00:00.000Z',
      machine: { cpus: 2, cpuModel: 'test', memoryGb: 24, node: 'v20', platform: 'linux', loadAverageStart: [0, 0, 0] },
      governance: results,
    }).split('\n');

  it("judge Switchyard's pair and print the product floor's beside it, unjudged, with what the rule would say of it", () => {
    const printed = lines([result('switchyard', 0.9, 0.94), result('product-floor', 0.93, 0.98)]);
    const judged = printed.find((line) => line.includes('req/s ratio to plain'));
    expect(judged).toMatch(/\| NO +\|$/);
    const floor = printed.find((line) => line.includes('product floor: governed / ungoverned'));
    expect(floor).toContain("req/s 0.96 [0.93-0.98], CPU 0.95 [0.93-0.97]");
    expect(floor).toContain("issue 12's rule would read 'unresolved'");
    expect(floor).toMatch(/\| +\|$/);
  });
});
