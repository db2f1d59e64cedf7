import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeScript } from '../../test/support/probe-script.js';

const root = resolve(import.meta.dirname, '../..');
const startServerUrl = pathToFileURL(resolve(root, 'dist/app/start-server.js')).href;
const loadConfigUrl = pathToFileURL(resolve(root, 'dist/config/load-config.js')).href;

/**
 * Starts the compiled gateway in a fresh process on the embedded default (SQLite, in-memory state) with keys required
 * and an admin key, so the request log, the key store and the limiter all open; then prints the packages of every
 * CommonJS module the process loaded (the Postgres and Redis clients are CommonJS, so `require.cache` holds them
 * once anything imported them).
 */
const PROBE = `
import { createRequire } from 'node:module';
const { parseConfigText } = await import(${JSON.stringify(loadConfigUrl)});
const { startServer } = await import(${JSON.stringify(startServerUrl)});
const yaml = [
  'logging: { level: error }',
  'storage: { url: "sqlite://:memory:" }',
  'auth: { require_keys: true }',
  'server: { admin_key: probe-admin-key }',
  'providers:',
  '  sim: { type: simulated, limits: { rpm: 10, tpm: 1000 } }',
].join('\\n');
const { config, issues } = parseConfigText(yaml, 'probe.yaml', {});
if (!config) throw new Error(JSON.stringify(issues));
const server = await startServer(config, { host: '127.0.0.1', port: 0, warm: false });
const packages = new Set();
for (const file of Object.keys(createRequire(import.meta.url).cache)) {
  const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file.slice(file.lastIndexOf('node_modules/')));
  if (match) packages.add(match[1]);
}
await server.close();
console.log(JSON.stringify([...packages].sort()));
`;

const probeFile = probeScript('switchyard-backends-probe-', PROBE);

function loadedPackages(): Promise<string[]> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [probeFile()], { cwd: root, timeout: 15_000 }, (error, stdout, stderr) => {
      if (error) {
        fail(new Error(`probe failed: ${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '[]';
      done(JSON.parse(last) as string[]);
    });
  });
}

describe('the embedded default', () => {
  it('starts with keys, limits and the record without loading the Postgres or Redis clients', async () => {
    const packages = await loadedPackages();
    // A package the gateway does load, so an empty list (a probe that saw nothing) cannot pass.
    expect(packages).toContain('better-sqlite3');
    expect(packages.filter((name) => ['pg', 'pg-pool', 'pg-boss', 'ioredis'].includes(name))).toEqual([]);
  });
});
