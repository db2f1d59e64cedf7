import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
