import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { probeScript } from '../../test/support/probe-script.js';
import { eventually, startTestGateway, type TestGateway } from '../../test/support/start-test-gateway.js';
import { releaseMemoryWhenIdle, type IdleReleaseDeps } from './idle-memory-release.js';

const MB = 1024 * 1024;

/** A releaser over hand-driven checks: requests, the heap's size and the collections are the test's to set. */
function harness(idleMs = 1000) {
  const state = { started: 0, inFlight: 0, heap: 100 * MB, collections: 0, tick: (): void => undefined, periodMs: 0 };
  const deps: IdleReleaseDeps = {
    activity: { started: () => state.started, inFlight: () => state.inFlight },
    idleMs,
    heapBytes: () => state.heap,
    collect: () => {
      state.collections += 1;
      state.heap = 40 * MB;
    },
    every: (ms, tick) => {
      state.periodMs = ms;
      state.tick = tick;
      return () => undefined;
    },
    now: () => 0,
  };
  releaseMemoryWhenIdle(deps);
  const checks = (count: number): void => {
    for (let i = 0; i < count; i++) state.tick();
  };
  return { state, checks };
}

describe('memory given back when the gateway is idle', () => {
  it('checks four times per quiet period and collects once, when a whole period passed with nothing arriving', () => {
    const { state, checks } = harness(1000);
    expect(state.periodMs).toBe(250);
    state.started = 5;
    checks(1);
    checks(3);
    expect(state.collections).toBe(0);
    checks(1);
    expect(state.collections).toBe(1);
    checks(20);
    expect(state.collections).toBe(1);
  });

  it('never collects while a request is still running, however long it runs', () => {
    const { state, checks } = harness();
    state.inFlight = 1;
    checks(40);
    expect(state.collections).toBe(0);
    state.inFlight = 0;
    checks(4);
    expect(state.collections).toBe(1);
  });

  it('collects again after new requests only once the heap grew by 16 MB since the last collection', () => {
    const { state, checks } = harness();
    checks(4);
    expect(state.collections).toBe(1);
    state.started += 1;
    state.heap = 40 * MB + 15 * MB;
    checks(5);
    expect(state.collections).toBe(1);
    state.started += 1;
    state.heap = 40 * MB + 16 * MB;
    checks(5);
    expect(state.collections).toBe(2);
  });
});

const root = resolve(import.meta.dirname, '../..');
const releaseUrl = pathToFileURL(resolve(root, 'dist/app/idle-memory-release.js')).href;

/** Promotes about 60 MB of objects to the old generation, drops them, and prints the heap before and after the collections. */
const PROBE = `
import { getHeapStatistics } from 'node:v8';
const { fullCollections } = await import(${JSON.stringify(releaseUrl)});
const collect = fullCollections();
let kept = [];
for (let i = 0; i < 50; i++) kept.push(Array.from({ length: 50000 }, (_, j) => ({ j })));
await new Promise((resolve) => setTimeout(resolve, 50));
kept = [];
const before = getHeapStatistics().total_heap_size;
collect();
console.log('heap-mb ' + (before / 1048576).toFixed(1) + ' ' + (getHeapStatistics().total_heap_size / 1048576).toFixed(1));
`;
const probeFile = probeScript('switchyard-idle-release-', PROBE);

describe('the collections a quiet gateway runs', () => {
  it('give a dropped old generation back, in a process started without --expose-gc', async () => {
    const printed = await new Promise<string>((done, fail) => {
      execFile(process.execPath, [probeFile()], { cwd: root }, (error, stdout) => (error ? fail(error) : done(stdout)));
    });
    const match = /heap-mb ([\d.]+) ([\d.]+)/.exec(printed);
    const [before, after] = [Number(match?.[1]), Number(match?.[2])];
    expect(before).toBeGreaterThan(60);
    expect(before - after).toBeGreaterThan(40);
  });
});

describe('a gateway with server.idle_release_ms', () => {
  let gateway: TestGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
  });

  it('logs the heap it gave back once requests stopped for that long', async () => {
    gateway = await startTestGateway('server: { idle_release_ms: 100 }\n');
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    const released = (): string | undefined => gateway?.logLines.find((line) => line.includes('idle: heap collected, memory given back'));
    await eventually(() => released() !== undefined, 5000);
    const line = JSON.parse(released() ?? '{}') as { heapBeforeMb?: unknown; heapAfterMb?: unknown; pauseMs?: unknown };
    expect(typeof line.heapBeforeMb).toBe('number');
    expect(typeof line.heapAfterMb).toBe('number');
    expect(typeof line.pauseMs).toBe('number');
  });

  it('never runs them with idle_release_ms: 0', async () => {
    gateway = await startTestGateway('server: { idle_release_ms: 0 }\n');
    await fetch(`${gateway.url}/health`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.logLines.some((line) => line.includes('idle: heap collected'))).toBe(false);
  });
});
