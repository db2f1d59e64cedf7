import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ChildStats } from './child-control.js';

/** A server the harness runs in its own process (so it never shares an event loop with the load generator). */
export interface BenchChild {
  name: string;
  pid: number;
  origin: string;
  /** The virtual key a governed gateway issued for the load generator. */
  apiKey?: string;
  /** RSS and event-loop delay since the previous call, as the child measures them. */
  stats(): Promise<ChildStats>;
  /** Current and peak resident set size in MB, read from /proc (Linux). */
  memory(): { rssMb: number; peakRssMb: number };
  stop(): Promise<void>;
}

/**
 * What Switchyard's `startServer` does for its own process, given to the other Node servers the harness runs: the V8
 * setting of `src/app/heap-tuning.ts` and the tick objects' classes held (`yardstick-preload.ts`), for the bare proxy
 * and the floors, so the yardsticks are not handicapped by what the gateway turns off (the proxy promoted 1.5 MB per
 * scavenge without the setting, 60 KB with it), and the fake upstream, whose CPU the targets share. Portkey runs as it
 * ships.
 */
export const YARDSTICK_EXEC_ARGV: readonly string[] = ['--no-allocation-site-pretenuring', '--import', new URL('./yardstick-preload.js', import.meta.url).href];

/** Forks a compiled harness script (e.g. `fake-upstream.js`) and resolves once it listens. */
export async function startChild(name: string, script: string, args: string[], execArgv: readonly string[] = []): Promise<BenchChild> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = fork(path, args, { execArgv: [...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; apiKey?: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${code ?? 'null'} before listening`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') resolve(message);
    });
  });
  const { port } = ready;
  child.removeAllListeners('exit');
  return {
    name,
    pid: child.pid ?? 0,
    origin: `http://127.0.0.1:${port}`,
    ...(ready.apiKey === undefined ? {} : { apiKey: ready.apiKey }),
    stats: () => requestStats(child),
    memory: () => procMemory(child.pid ?? 0),
    stop: () => stopChild(child),
  };
}

function requestStats(child: ChildProcess): Promise<ChildStats> {
  return new Promise((resolve) => {
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== 'stats') return;
      child.off('message', onMessage);
      const { type: _type, ...stats } = message;
      resolve(stats);
    };
    child.on('message', onMessage);
    child.send({ type: 'stats' });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}

/** Kernel clock ticks per second: what /proc's CPU times count in (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time a process has used so far, all its threads, user and system, in ms (from /proc/<pid>/stat; NaN where
 * /proc is unavailable). Read around a round, it gives CPU per request, which the machine's other load disturbs far
 * less than requests per second.
 */
export function procCpuMs(pid: number): number {
  const { userMs, systemMs } = procCpuSplitMs(pid);
  return userMs + systemMs;
}

/** procCpuMs apart: time in the process's own code (user) and in the kernel on its behalf (system), in ms. */
export function procCpuSplitMs(pid: number): { userMs: number; systemMs: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: (Number(fields[11]) * 1000) / TICKS_PER_SECOND, systemMs: (Number(fields[12]) * 1000) / TICKS_PER_SECOND };
  } catch {
    return { userMs: Number.NaN, systemMs: Number.NaN };
  }
}

/** VmRSS and VmHWM (peak) of a process in MB; zeros where /proc is unavailable. */
export function procMemory(pid: number): { rssMb: number; peakRssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: 0, peakRssMb: 0 };
  }
}
