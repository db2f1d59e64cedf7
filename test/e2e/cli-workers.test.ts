import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';

describe('switchyard start --workers', () => {
  it('serves from several processes on one port and drains them all on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-'));
    const dbPath = join(dir, 'log.db');
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(configPath, `storage: { url: "sqlite://${dbPath}" }\nlogging: { level: warn }\nproviders:\n  sim: { type: simulated }\n`);
    const { child, url } = await startCli(configPath, ['--workers', '2']);
    const total = 12;
    const statuses = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'sim/echo', messages: [{ role: 'user', content: `worker ${i}` }] }),
        });
        await response.text();
        return response.status;
      }),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number };
    db.close();
    expect(rows.n).toBe(total);
  }, 30_000);
});
