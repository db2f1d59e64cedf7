import { mkdtempSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';

const GRACE_MS = 2000;

describe('a client uploading its body at 1 byte/s', () => {
  it('does not hold SIGTERM past server.shutdown_grace_ms, and its request is recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-slow-upload-'));
    const dbPath = join(dir, 'log.db');
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(configPath, `server: { shutdown_grace_ms: ${GRACE_MS} }\nstorage: { url: "sqlite://${dbPath}" }\nlogging: { level: warn }\n`);
    const { child, url } = await startCli(configPath);
    const { hostname, port } = new URL(url);
    const body = JSON.stringify({ model: 'simulated/echo', messages: [{ role: 'user', content: 'slow' }] });
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on('error', () => undefined);
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`);
    let sent = 0;
    const drip = setInterval(() => socket.write(body.slice(sent, ++sent)), 1000);
    try {
      await sleep(1500);
      const exited = once(child, 'exit');
      const signalled = Date.now();
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      const tookMs = Date.now() - signalled;
      expect(code).toBe(0);
      expect(tookMs).toBeLessThan(GRACE_MS + 1500);
    } finally {
      clearInterval(drip);
      socket.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('SELECT status, error_code FROM request_log').all() as Array<{ status: number; error_code: string }>;
    db.close();
    expect(rows).toEqual([{ status: 503, error_code: 'shutting_down' }]);
  }, 30_000);
});
