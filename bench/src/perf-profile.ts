import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestMapEntries, parseLeafSamples, type LeafSample } from './cpu-layers.js';

// Linux `perf` around a child process: it sees the kernel, V8's builtins and runtime, the collector and every thread,
// which the inspector's profiler cannot, and it does not slow the profiled JS down by much.

/** The V8 flag that makes a Node process write `/tmp/perf-<pid>.map`, so perf can name its JIT-compiled functions. */
export const PERF_MAP_EXEC_ARGV: readonly string[] = ['--perf-basic-prof-only-functions'];

/** Samples per second per thread: enough for a layer table in a few seconds, little enough not to disturb it. */
const SAMPLE_HZ = 1999;

/** Why perf cannot profile here (not installed, not permitted), or undefined when it can. */
export function perfUnavailableReason(): string | undefined {
  const file = join(tmpdir(), `switchyard-bench-perf-check-${process.pid}.data`);
  try {
    execFileSync('perf', ['record', '-q', '-o', file, '--', 'true'], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    const { code, stderr } = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (code === 'ENOENT') return '`perf` is not installed (Debian: linux-perf)';
    const said = stderr?.toString().trim().split('\n')[0];
    return `\`perf record\` failed${said ? `: ${said}` : ''} (see /proc/sys/kernel/perf_event_paranoid)`;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Samples `pid`'s threads for `seconds`, leaf frames only, into a temporary file; resolves with its path. */
export function recordPerf(pid: number, seconds: number): Promise<string> {
  const file = perfDataOf(pid);
  return new Promise((resolve, reject) => {
    const perf = spawn('perf', ['record', '-q', '-F', String(SAMPLE_HZ), '-p', String(pid), '-o', file, '--', 'sleep', String(seconds)], { stdio: 'ignore' });
    perf.once('error', reject);
    perf.once('exit', (code) => (code === 0 ? resolve(file) : reject(new Error(`perf record exited with ${String(code)}`))));
  });
}

/** The samples of a recording, named through the process's perf map (newest entries kept). Call after the process stopped, so its map is complete. */
export function readLeafSamples(file: string, pid: number): LeafSample[] {
  const map = perfMapOf(pid);
  if (existsSync(map)) writeFileSync(map, newestMapEntries(readFileSync(map, 'utf8')));
  const text = execFileSync('perf', ['script', '-i', file, '-F', 'tid,ip,sym,dso'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30, encoding: 'utf8' });
  return parseLeafSamples(text);
}

/** Removes a process's recording and perf map, where they exist: each is megabytes, and /tmp keeps them. */
export function removePerfFiles(pid: number): void {
  rmSync(perfDataOf(pid), { force: true });
  rmSync(perfMapOf(pid), { force: true });
}

function perfDataOf(pid: number): string {
  return join(tmpdir(), `switchyard-bench-perf-${pid}.data`);
}

function perfMapOf(pid: number): string {
  return `/tmp/perf-${pid}.map`;
}
