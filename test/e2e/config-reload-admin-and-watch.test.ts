import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';
import { untilPasses } from '../support/until-passes.js';

const ADMIN_KEY = 'admin-test-key-reload';

const config = (alias: string, extra = ''): string =>
  `server: { admin_key: ${ADMIN_KEY}${extra} }\nstorage: { url: "sqlite://:memory:" }\nlogging: { level: warn }\nproviders:\n  sim: { type: simulated }\nmodels:\n  ${alias}: { targets: [{ provider: sim, model: echo }] }\n`;

function admin(url: string, path: string, method = 'GET'): Promise<Response> {
  return fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
}

async function configHash(url: string): Promise<string> {
  const body = (await (await admin(url, '/admin/config')).json()) as { data: { hash: string } };
  return body.data.hash;
}

/** The `switchyard_config_info` series on /metrics: hash → how many processes serve it. */
async function configInfo(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const match of text.matchAll(/^switchyard_config_info\{hash="([0-9a-f]+)"\} (\d+)/gm)) out[match[1] as string] = Number(match[2]);
  return out;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

describe('config reload through the admin API and the file watch', () => {
  it('POST /admin/reload swaps the config on every worker, and an invalid file is refused with its first issue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-admin-reload-'));
    const path = join(dir, 'switchyard.yaml');
    writeFileSync(path, config('first'));
    const { child, url } = await startCli(path, ['--workers', '2']);
    try {
      const before = await configHash(url);
      await untilPasses(async () => expect(await configInfo(url)).toEqual({ [before]: 2 }));

      writeFileSync(path, config('second'));
      const reloaded = await admin(url, '/admin/reload', 'POST');
      expect(reloaded.status).toBe(200);
      const after = ((await reloaded.json()) as { data: { hash: string; pid: number } }).data.hash;
      expect(after).not.toBe(before);
      // Summed over the workers: both serve the new hash (the other one reloaded on the primary's SIGHUP).
      await untilPasses(async () => expect(await configInfo(url)).toEqual({ [after]: 2 }), 5000);
      // Each worker keeps its own in-memory audit: the one that took the POST wrote `admin API`, the other `SIGHUP`, and
      // either may answer this GET, so ask until the first one does.
      await untilPasses(async () => {
        const audit = (await (await admin(url, '/admin/audit')).json()) as { data: Array<{ action: string; actor: string }> };
        expect(audit.data.filter((entry) => entry.action === 'config.reload').map((entry) => entry.actor)).toContain('admin API');
      }, 5000);

      writeFileSync(path, 'providers:\n  sim: { type: simulated, colour: blue }\n');
      const refused = await admin(url, '/admin/reload', 'POST');
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({ code: 'invalid_config', message: `Config rejected, still serving ${after}: providers.sim.colour: unknown key` });
      expect(await configInfo(url)).toEqual({ [after]: 2 });
      expect((await fetch(`${url}/admin/reload`, { method: 'POST' })).status).toBe(401);
    } finally {
      await stop(child);
    }
  }, 40_000);

  it('with server.watch_config, a changed file is reloaded without a signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-watch-'));
    const path = join(dir, 'switchyard.yaml');
    writeFileSync(path, config('first', ', watch_config: true'));
    const { child, url } = await startCli(path);
    try {
      const before = await configHash(url);
      writeFileSync(path, config('second', ', watch_config: true'));
      await untilPasses(async () => expect(await configHash(url)).not.toBe(before), 5000);
      const status = (
        await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'second', messages: [{ role: 'user', content: 'hi' }] }),
        })
      ).status;
      expect(status).toBe(200);
    } finally {
      await stop(child);
    }
  }, 30_000);
});
