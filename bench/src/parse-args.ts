import { parseArgs } from 'node:util';

export const SCENARIOS = ['overhead', 'throughput', 'agent', 'agent-unicode', 'codex', 'translate', 'governance', 'streams', 'slow-streams', 'workers', 'failover', 'soak', 'floors', 'batch-beside', 'layers', 'routing-sim'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What the command line asked for. */
export interface BenchArgs {
  scenarios: ScenarioName[];
  soakSeconds: number;
  quick: boolean;
  portkey: boolean;
  cpuProf: boolean;
}

/**
 * Reads scenario names and flags. `npm run bench -- --flag` from the root goes through a nested `npm run`, which
 * takes unknown flags as its own config and hands them on as npm_config_* variables, so those are read too.
 */
export function parseBenchArgs(argv: string[], env: Record<string, string | undefined>): BenchArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      soak: { type: 'boolean' },
      'soak-seconds': { type: 'string' },
      quick: { type: 'boolean' },
      'no-portkey': { type: 'boolean' },
      'cpu-prof': { type: 'boolean' },
    },
  });
  const flag = (name: string, value: boolean | undefined): boolean => value ?? ['true', ''].includes(env[`npm_config_${name.replace(/-/g, '_')}`] ?? 'unset');
  // `--soak-seconds 60` through nested npm arrives as a bare `60`; `--soak-seconds=60` as npm_config_soak_seconds.
  const numeric = positionals.filter((p) => /^\d+$/.test(p));
  const named = positionals.filter((p) => !/^\d+$/.test(p));
  const unknown = named.filter((p) => !(SCENARIOS as readonly string[]).includes(p));
  if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  let scenarios = named as ScenarioName[];
  if (scenarios.length === 0) scenarios = ['overhead', 'throughput', 'agent', 'agent-unicode', 'codex', 'translate', 'governance', 'streams', 'slow-streams', 'workers', 'failover'];
  if (flag('soak', values.soak) && !scenarios.includes('soak')) scenarios = [...scenarios, 'soak'];
  const fromNpm = /^\d+$/.test(env['npm_config_soak_seconds'] ?? '') ? env['npm_config_soak_seconds'] : undefined;
  const soakSeconds = Number(values['soak-seconds'] ?? numeric[0] ?? fromNpm ?? 300);
  if (!Number.isFinite(soakSeconds) || soakSeconds < 10) throw new Error('--soak-seconds must be a number >= 10');
  return {
    scenarios,
    soakSeconds,
    quick: flag('quick', values.quick),
    portkey: !flag('no-portkey', values['no-portkey']),
    cpuProf: flag('cpu-prof', values['cpu-prof']),
  };
}
