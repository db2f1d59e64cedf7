import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../.ci/run', import.meta.url));
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Lays out `<tmp>/repo/.ci/run` next to `<tmp>/shared`, like a worktree beside the shared folder. */
function layout(servicesScript?: string): string {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-ci-'));
  mkdirSync(join(dir, 'repo', '.ci'), { recursive: true });
  copyFileSync(script, join(dir, 'repo', '.ci', 'run'));
  if (servicesScript !== undefined) {
    mkdirSync(join(dir, 'shared', 'ci'), { recursive: true });
    writeFileSync(join(dir, 'shared', 'ci', 'services-up.sh'), servicesScript);
    chmodSync(join(dir, 'shared', 'ci', 'services-up.sh'), 0o755);
  }
  return join(dir, 'repo', '.ci', 'run');
}

describe('.ci/run', () => {
  it('stops with an error naming the services script when it is missing, before installing anything', () => {
    const run = spawnSync('bash', [layout()], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('../shared/ci/services-up.sh is missing');
    expect(run.stdout).not.toMatch(/npm/);
  });

  it('stops when the services script fails', () => {
    const run = spawnSync('bash', [layout('#!/usr/bin/env bash\necho "postgres did not start" >&2\nexit 3\n')], { encoding: 'utf8' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('postgres did not start');
  });
});
