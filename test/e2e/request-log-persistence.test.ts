import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';
import { startOutageProxy } from '../support/tcp-outage-proxy.js';
import { startTestGateway } from '../support/start-test-gateway.js';

/** Waits until the gateway reports `count` upstream attempts in flight to sim/steady. */
async function untilInFlight(url: string, count: number): Promise<void> {
  const line = `switchyard_routing_in_flight{provider="sim",model="steady"} ${count}`;
  for (let i = 0; i < 200; i++) {
    if ((await (await fetch(`${url}/metrics`)).text()).includes(line)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the gateway never had ${count} requests in flight`);
}

describe('request log persistence', () => {
  it('drains in-flight requests on SIGTERM and writes exactly one row per request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-sigterm-'));
    const dbPath = join(dir, 'log.db');
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(
      configPath,
      `storage: { url: "sqlite://${dbPath}" }\nlogging: { level: warn }\nproviders:\n  sim:\n    type: simulated\n    simulated:\n      models:\n        steady: { behavior: lorem, output_tokens: 24, ttft_ms: 700, tokens_per_second: 40 }\n`,
    );
    const { child, url } = await startCli(configPath);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
    const total = 40;
    const requests = Array.from({ length: total }, async (_, i) => {
      const messages = [{ role: 'user' as const, content: `request ${i}` }];
      if (i % 2 === 0) return (await client.chat.completions.create({ model: 'sim/steady', messages })).choices[0]?.finish_reason;
      let finish: string | null | undefined;
      for await (const chunk of await client.chat.completions.create({ model: 'sim/steady', messages, stream: true })) {
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      return finish;
    });
    // Let every request reach the gateway first: a connection that has not sent its request yet is idle, and a
    // graceful shutdown closes idle connections (the client sees ECONNRESET). A fixed pause was not enough on a busy
    // machine; the gateway's own count of attempts in flight says when all of them are in.
    await untilInFlight(url, total);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const finishes = await Promise.all(requests);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(finishes.every((f) => f === 'stop')).toBe(true);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number };
    db.close();
    expect(rows.n).toBe(total);
  }, 30_000);

  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.warn('skipping the store-outage test: DATABASE_URL unset');
    it.skip('keeps serving while the store is down (needs DATABASE_URL)', () => undefined);
    return;
  }

  const schema = `e2e_outage_${process.pid}_${Date.now()}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('keeps serving while the Postgres store is unreachable and writes every row once it returns', async () => {
    const target = new URL(databaseUrl);
    const proxy = await startOutageProxy(target);
    const proxied = new URL(databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    proxied.searchParams.set('schema', schema);
    const gateway = await startTestGateway(
      `storage: { url: "${proxied.toString()}" }\nproviders:\n  sim: { type: simulated }\n`,
      {},
      { persist: true },
    );
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
      proxy.setUp(false);
      const served = await Promise.all(
        Array.from({ length: 25 }, (_, i) => client.chat.completions.create({ model: 'sim/echo', messages: [{ role: 'user', content: `down ${i}` }] })),
      );
      expect(served.every((r) => r.choices[0]?.finish_reason === 'stop')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.setUp(true);
      const check = new pg.Client({ connectionString: databaseUrl });
      await check.connect();
      try {
        let count = 0;
        for (let i = 0; i < 150 && count !== 25; i++) {
          const result = await check.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".request_log`).catch(() => ({ rows: [{ n: '0' }] }));
          count = Number(result.rows[0]?.n ?? 0);
          if (count !== 25) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(count).toBe(25);
      } finally {
        await check.end();
      }
    } finally {
      await gateway.close();
      await proxy.close();
    }
  }, 40_000);
});
