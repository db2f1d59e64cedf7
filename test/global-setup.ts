import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CAPTURE_DIR_ENV, scanCapturedLogs } from './support/captured-logs.js';
import { UPSTREAM_SECRET_MARKERS } from './support/secret-markers.js';

/**
 * Compiles `dist/` once before the suite, so tests that run the real CLI in a child process use the current code, and
 * creates the directory every test gateway appends its log lines to (workers inherit the variable naming it).
 * The returned teardown scans those lines for upstream keys and client credentials and fails the run on any hit.
 */
export default function setup(): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  const captureDir = mkdtempSync(join(tmpdir(), 'switchyard-test-logs-'));
  process.env[CAPTURE_DIR_ENV] = captureDir;
  return function scanLogsForSecrets(): void {
    const findings = scanCapturedLogs(captureDir, UPSTREAM_SECRET_MARKERS);
    if (findings.length > 0) {
      process.exitCode = 1;
      throw new Error(`secrets found in gateway logs (kept in ${captureDir}):\n${findings.join('\n')}`);
    }
    rmSync(captureDir, { recursive: true, force: true });
  };
}
