import type { Pool } from 'undici';
import { YARDSTICK_EXEC_ARGV, startChild, type BenchChild } from './child-process.js';
import { poolCache } from './load-generator.js';
import { portkeyEntry, startPortkey } from './portkey-process.js';
import type { Target, TargetName } from './targets.js';

/** The processes of one bench run: the fake upstream, the bare proxy, Switchyard and, when installed, Portkey. */
export interface Harness {
  upstream: BenchChild;
  proxy: BenchChild;
  switchyard: BenchChild;
  /** Switchyard with virtual keys, limits and a budget on, and nothing else (issue 12). */
  governed: BenchChild;
  /** Switchyard with issue 17's realistic config. */
  realistic: BenchChild;
  portkeyPid?: number;
  targets: Target[];
  /** Why Portkey is not measured, when it is not. */
  portkeyNote?: string;
  /** A pool per target origin and connection count, created once. */
  pool(target: Target, connections: number): Pool;
  close(): Promise<void>;
}

export interface HarnessOptions {
  portkey: boolean;
  /** Extra node flags for a Switchyard process, by its target name (e.g. --cpu-prof with a file name of its own). */
  switchyardExecArgv(name: TargetName): string[];
}

const PORTKEY_PORT = 18787;

/** Starts every process and returns the targets in the order rounds visit them. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const upstream = await startChild('fake-upstream', './fake-upstream.js', [], YARDSTICK_EXEC_ARGV);
  const proxy = await startChild('bare-proxy', './bare-proxy.js', [upstream.origin], YARDSTICK_EXEC_ARGV);
  const switchyard = await startChild('switchyard', './switchyard-process.js', [upstream.origin], options.switchyardExecArgv('switchyard'));
  const governed = await startChild('switchyard-governed', './switchyard-process.js', [upstream.origin, 'governed'], options.switchyardExecArgv('switchyard-governed'));
  const realistic = await startChild('switchyard-keys', './switchyard-process.js', [upstream.origin, 'realistic'], options.switchyardExecArgv('switchyard-keys'));
  const keyOf = (child: BenchChild): { apiKey?: string } => (child.apiKey === undefined ? {} : { apiKey: child.apiKey });
  const targets: Target[] = [
    { name: 'direct', origin: upstream.origin, upstreamOrigin: upstream.origin },
    { name: 'proxy', origin: proxy.origin, upstreamOrigin: upstream.origin, pid: proxy.pid },
    { name: 'switchyard', origin: switchyard.origin, upstreamOrigin: upstream.origin, pid: switchyard.pid },
    { name: 'switchyard-governed', origin: governed.origin, upstreamOrigin: upstream.origin, ...keyOf(governed), pid: governed.pid },
    { name: 'switchyard-keys', origin: realistic.origin, upstreamOrigin: upstream.origin, ...keyOf(realistic), pid: realistic.pid },
  ];
  let portkeyNote: string | undefined;
  let portkey: { pid: number; stop: () => void } | undefined;
  const entry = options.portkey ? portkeyEntry() : undefined;
  if (!options.portkey) portkeyNote = 'not requested (--no-portkey)';
  else if (!entry) portkeyNote = '@portkey-ai/gateway is not installed (optional dependency)';
  else {
    try {
      portkey = await startPortkey(entry, PORTKEY_PORT);
      targets.push({ name: 'portkey', origin: `http://127.0.0.1:${PORTKEY_PORT}`, upstreamOrigin: upstream.origin, pid: portkey.pid });
    } catch (error) {
      portkeyNote = (error as Error).message;
    }
  }
  const pools = poolCache();
  return {
    upstream,
    proxy,
    switchyard,
    governed,
    realistic,
    ...(portkey ? { portkeyPid: portkey.pid } : {}),
    targets,
    ...(portkeyNote ? { portkeyNote } : {}),
    pool: (target: Target, connections: number): Pool => pools.pool(target, connections),
    async close(): Promise<void> {
      await pools.destroy();
      portkey?.stop();
      await switchyard.stop();
      await governed.stop();
      await realistic.stop();
      await proxy.stop();
      await upstream.stop();
    },
  };
}

/** The targets of a harness with the given names, in harness order. */
export function pick(harness: Harness, names: TargetName[]): Target[] {
  return harness.targets.filter((target) => names.includes(target.name));
}
