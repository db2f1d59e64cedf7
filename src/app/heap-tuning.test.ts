import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeScript, startGatewaySource } from '../../test/support/probe-script.js';

const root = resolve(import.meta.dirname, '../..');

/** The probes' prelude: V8's gc() for the script, and, with START_GATEWAY=1, a gateway started and closed first. */
const START_GATEWAY = `
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
${startGatewaySource(root)}`;

/**
 * Run in a fresh process, since a V8 flag holds for the whole process: objects from one literal site are kept through
 * young collections until V8 would call the site long-lived, then 20,000 more from the same site are dropped at once.
 * Prints how much the old generation grew meanwhile: near 0 when they were allocated young, megabytes when V8
 * allocated them straight in the old generation.
 */
const PROBE = `
${START_GATEWAY}const make = (i) => ({ id: i, tags: { a: i }, list: [i, i + 1] });
const oldUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_used_size;
const kept = [];
for (let round = 0; round < 20; round++) {
  for (let i = 0; i < 5000; i++) kept.push(make(i));
  gc({ type: 'minor' });
}
kept.length = 0;
gc();
const before = oldUsed();
let last;
for (let i = 0; i < 20000; i++) last = make(i);
console.log('old-growth-bytes ' + (oldUsed() - before) + ' ' + last.id);
`;

const probeFile = probeScript('switchyard-heap-probe-', PROBE);

/** Runs a probe in a fresh node with `nodeFlags` and reads the number it prints after `label`. */
function runProbe(file: string, label: string, nodeFlags: string[], startGateway: boolean): Promise<number> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [...nodeFlags, file], { cwd: root, env: { ...process.env, START_GATEWAY: startGateway ? '1' : '0' } }, (error, stdout) => {
      const match = new RegExp(`${label} (-?[\\d.]+)`).exec(stdout);
      if (error) fail(error);
      else if (!match?.[1]) fail(new Error(`probe printed no result: ${stdout}`));
      else done(Number(match[1]));
    });
  });
}

/** Old-generation growth (bytes) while the probe dropped 20,000 objects of a site V8 had seen survive. */
const probeOldGrowth = (nodeFlags: string[], startGateway: boolean): Promise<number> => runProbe(probeFile(), 'old-growth-bytes', nodeFlags, startGateway);

const MB = 1024 * 1024;

/** The probe's growth with V8's defaults, measured once: what there is to turn off on this Node's V8. */
let untuned: Promise<number> | undefined;
const untunedGrowth = (): Promise<number> => (untuned ??= probeOldGrowth([], false));

/** Skips a case that needs V8 to pretenure the probe's site, on a Node whose V8 did not (Node 22's, for one). */
async function skipUnlessPretenured(skip: (note: string) => void): Promise<void> {
  if ((await untunedGrowth()) > MB) return;
  const note = `Node ${process.version}: V8 did not pretenure the probe's site by default, so there is nothing to turn off`;
  console.log(`skipped: ${note}`);
  skip(note);
}

describe('a started gateway keeps short-lived objects in the young generation', () => {
  it('the probe sees V8 allocate a surviving site straight in the old generation when nothing turns that off', async (context) => {
    await skipUnlessPretenured((note) => context.skip(note));
    expect(await untunedGrowth()).toBeGreaterThan(MB);
  });

  it('after startServer, objects of a site that survived before are still allocated young', async () => {
    expect(await probeOldGrowth([], true)).toBeLessThan(MB / 4);
  });

  it('leaves pretenuring on when the node command line asks for it', async (context) => {
    await skipUnlessPretenured((note) => context.skip(note));
    expect(await probeOldGrowth(['--allocation-site-pretenuring'], true)).toBeGreaterThan(MB);
  });
});

/**
 * Run in a fresh process: keeps about 30 MB live, then lets 1,000 batches of objects outlive two young collections
 * each and die in the old generation, as requests in flight at two scavenges do under load. Prints the most the old
 * generation held over what was live.
 */
const GROWTH_PROBE = `
${START_GATEWAY}const oldUsed = () => getHeapSpaceStatistics().find((space) => space.space_name === 'old_space').space_used_size;
const live = Array.from({ length: 100 }, (_, i) => Array.from({ length: 10000 }, (_, j) => ({ i, j })));
gc();
const base = oldUsed();
let peak = base;
for (let round = 0; round < 1000; round++) {
  const dying = Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x' + i, list: [i] }));
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  peak = Math.max(peak, oldUsed());
  dying.length = 0;
}
console.log('old-growth-ratio ' + peak / base + ' ' + live.length);
`;

const growthProbeFile = probeScript('switchyard-heap-growth-probe-', GROWTH_PROBE);

/** The most the probe's old generation held, as a multiple of what was live. */
const probeGrowthRatio = (nodeFlags: string[], startGateway: boolean): Promise<number> => runProbe(growthProbeFile(), 'old-growth-ratio', nodeFlags, startGateway);

/** The probe's growth with V8's defaults, measured once: whether this Node's V8 lets the old generation grow freely. */
let unbounded: Promise<number> | undefined;
const unboundedRatio = (): Promise<number> => (unbounded ??= probeGrowthRatio([], false));

/** Skips a case that needs V8's own growth to exceed the probe's bound, on a Node whose V8 collects sooner. */
async function skipUnlessGrowingFreely(skip: (note: string) => void): Promise<void> {
  if ((await unboundedRatio()) > 3) return;
  const note = `Node ${process.version}: V8 collected before the old generation tripled, so the probe cannot tell a command line's growth from ours`;
  console.log(`skipped: ${note}`);
  skip(note);
}

describe('a started gateway keeps the old generation near what is live', () => {
  it('the probe sees V8 let promoted garbage grow the old generation to over three times the live heap when nothing bounds it', async (context) => {
    await skipUnlessGrowingFreely((note) => context.skip(note));
    expect(await unboundedRatio()).toBeGreaterThan(3);
  });

  it('after startServer, a full collection comes before the old generation doubles the live heap', async () => {
    expect(await probeGrowthRatio([], true)).toBeLessThan(2);
  });

  it('leaves the growth to the node command line when it sets --heap-growing-percent', async (context) => {
    await skipUnlessGrowingFreely((note) => context.skip(note));
    expect(await probeGrowthRatio(['--heap-growing-percent=300'], true)).toBeGreaterThan(3);
  });
});

describe("the heap's V8 flags", () => {
  it("are flags this Node's V8 has (an unknown one would be ignored without a word)", () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain('--heap-growing-percent ');
    expect(options).toContain('--allocation-site-pretenuring ');
  });
});
