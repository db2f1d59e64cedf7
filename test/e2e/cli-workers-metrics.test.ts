import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';

/** The sum of every sample of one metric in a Prometheus text page. */
function total(page: string, metric: string): number {
  let sum = 0;
  for (const line of page.split('\n')) {
    if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('switchyard start --workers: /metrics', () => {
  it('reports the requests of every worker on every scrape, not those of the worker that answered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-workers-metrics-'));
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(configPath, `storage: { url: "sqlite://${join(dir, 'log.db')}" }\nlogging: { level: warn }\n`);
    const { child, url } = await startCli(configPath, ['--workers', '2']);
    try {
      const requests = 16;
      for (let i = 0; i < requests; i++) {
        // A new connection each time, so the kernel spreads the requests over both workers.
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ model: 'simulated/echo', messages: [{ role: 'user', content: `request ${i}` }] }),
        });
        expect(response.status).toBe(200);
        await response.text();
      }
      for (let scrape = 0; scrape < 4; scrape++) {
        const page = await (await fetch(`${url}/metrics`, { headers: { connection: 'close' } })).text();
        expect(total(page, 'switchyard_requests_total')).toBe(requests);
      }
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
