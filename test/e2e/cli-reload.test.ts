import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';

/** Resolves when the stream prints a line matching `pattern`. */
function waitForOutput(stream: Readable | null, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in output:\n${seen}`)), 10_000);
    stream?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
  });
}

const config = (alias: string): string =>
  `storage: { url: "sqlite://:memory:" }\nlogging: { level: warn }\nproviders:\n  sim: { type: simulated }\nmodels:\n  ${alias}: { targets: [{ provider: sim, model: echo }] }\n`;

describe('config reload on SIGHUP', () => {
  it('serves a new alias after a valid reload and keeps the running config when the new file is invalid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-'));
    const path = join(dir, 'switchyard.yaml');
    writeFileSync(path, config('first'));
    const { child, url } = await startCli(path);
    const ask = async (model: string): Promise<number> => {
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await response.text();
      return response.status;
    };
    try {
      expect(await ask('first')).toBe(200);
      expect(await ask('second')).toBe(404);

      writeFileSync(path, config('second'));
      const reloaded = waitForOutput(child.stdout, /config reloaded/);
      child.kill('SIGHUP');
      await reloaded;
      expect(await ask('second')).toBe(200);
      expect(await ask('first')).toBe(404);

      writeFileSync(path, 'providers:\n  sim: { type: simulated, colour: blue }\n');
      const rejected = waitForOutput(child.stderr, /reload rejected: providers\.sim\.colour: unknown key/);
      child.kill('SIGHUP');
      await rejected;
      expect(await ask('second')).toBe(200);
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});
