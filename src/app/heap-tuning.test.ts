import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeScript } from '../../test/support/probe-script.js';

const root = resolve(import.meta.dirname, '../..');
const startServerUrl = pathToFileURL(resolve(root, 'dist/app/start-server.js')).href;
const loadConfigUrl = pathToFileURL(resolve(root, 'dist/config/load-config.js')).href;

/**
 * Run in a fresh process, since a V8 flag holds for the whole process: objects from one literal site are kept through
 * young collections until V8 would call the site long-lived, then 20,000 more from the same site are dropped at once.
 * Prints how much the old generation grew meanwhile: near 0 when they were allocated young, megabytes when V8
 * allocated them straight in the old generation.
 */
const PROBE = `
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
if (process.env.START_GATEWAY === '1') {
  const { parseConfigText } = await import(${JSON.stringify(loadConfigUrl)});
  const { startServer } = await import(${JSON.stringify(startServerUrl)});
  const { config } = parseConfigText('logging: { level: error }\\nstorage: { url: "sqlite://:memory:" }\\n', 'probe.yaml', {});
  const server = await startServer(config, { host: '127.0.0.1', port: 0, warm: false });
  await server.close();
}
const make = (i) => ({ id: i, tags: { a: i }, list: [i, i + 1] });
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

/** Old-generation growth (bytes) while the probe dropped 20,000 objects of a site V8 had seen survive. */
function probeOldGrowth(nodeFlags: string[], startGateway: boolean): Promise<number> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [...nodeFlags, probeFile()],
      { cwd: root, env: { ...process.env, START_GATEWAY: startGateway ? '1' : '0' } },
      (error, stdout) => {
        if (error) {
          fail(error);
          return;
        }
        const match = /old-growth-bytes (-?\d+)/.exec(stdout);
        if (!match?.[1]) fail(new Error(`probe printed no result: ${stdout}`));
        else done(Number(match[1]));
      },
    );
  });
}

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
