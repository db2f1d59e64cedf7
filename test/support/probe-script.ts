import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

/**
 * Writes `source` as an ES module in a temporary directory before the suite's tests and removes it after them, for a
 * probe run by `node` in a fresh process. A file rather than `-e`: the gateway's store worker inherits the command
 * line's flags, and `--input-type` with them. Returns the file's path once the suite has started.
 */
export function probeScript(prefix: string, source: string): () => string {
  let dir = '';
  let file = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    file = join(dir, 'probe.mjs');
    writeFileSync(file, source);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return () => file;
}

/**
 * Probe source that starts a gateway from the build (`dist/`) on an in-memory store and closes it again, when the
 * probe runs with START_GATEWAY=1; `root` is the repository's root.
 */
export function startGatewaySource(root: string): string {
  const startServerUrl = pathToFileURL(resolve(root, 'dist/app/start-server.js')).href;
  const loadConfigUrl = pathToFileURL(resolve(root, 'dist/config/load-config.js')).href;
  return `
if (process.env.START_GATEWAY === '1') {
  const { parseConfigText } = await import(${JSON.stringify(loadConfigUrl)});
  const { startServer } = await import(${JSON.stringify(startServerUrl)});
  const { config } = parseConfigText('logging: { level: error }\\nstorage: { url: "sqlite://:memory:" }\\n', 'probe.yaml', {});
  const server = await startServer(config, { host: '127.0.0.1', port: 0, warm: false });
  await server.close();
}
`;
}
