import { createServer } from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/start-cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('switchyard check', () => {
  it('accepts a valid config: exit 0 and an ok line with its counts', async () => {
    const path = file(
      'valid.yaml',
      'providers:\n  sim: { type: simulated }\nmodels:\n  main:\n    targets: [{ provider: sim, model: echo }, { provider: sim, model: lorem }]\n',
    );
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok: .*valid\.yaml — 2 provider\(s\), 1 model alias\(es\)$/m);
    expect(run.stderr).toBe('');
  });

  it('reads the config path from SWITCHYARD_CONFIG', async () => {
    const path = file('from-env.yaml', 'providers:\n  sim: { type: simulated }\n');
    const run = await runCli(['check'], { SWITCHYARD_CONFIG: path });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('from-env.yaml');
  });

  it('rejects unknown keys: exit 1 and one error line per key, each with its path', async () => {
    const path = file(
      'unknown-keys.yaml',
      'servr: { port: 1 }\nproviders:\n  sim: { type: simulated, colour: blue }\nmodels:\n  main:\n    targets: [{ provider: ghost, model: echo }]\n',
    );
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(1);
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toEqual(expect.arrayContaining(['error: servr: unknown key', 'error: providers.sim.colour: unknown key']));
    expect(run.stdout).not.toMatch(/^ok:/m);
  });

  it('rejects a dangling provider reference: exit 1 naming the target path and the provider', async () => {
    const path = file('dangling.yaml', 'providers:\n  sim: { type: simulated }\nmodels:\n  main:\n    targets: [{ provider: sim, model: echo }, { provider: ghost, model: echo }]\n');
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: models\.main\.targets\[1\]\.provider: .*ghost/m);
  });

  it('reports a missing file: exit 1 naming the file', async () => {
    const path = join(dir, 'does-not-exist.yaml');
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('does-not-exist.yaml');
  });
});

/** Every environment variable name the gateway's source reads (`env.NAME`, `env[...]` of the provider key table). */
function environmentVariablesReadBySource(): string[] {
  const names = new Set<string>();
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of files) {
    const text = readFileSync(join(root, 'src', file), 'utf8');
    for (const match of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]+)/g)) names.add(match[1] as string);
    for (const match of text.matchAll(/apiKeyEnv: '([A-Z0-9_]+)'/g)) names.add(match[1] as string);
  }
  return [...names].sort();
}

describe('switchyard start that cannot start', () => {
  it('exits 1 naming the cause when its port is taken, instead of hanging on the stores and timers it had opened', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    try {
      const port = (taken.address() as { port: number }).port;
      const path = file('port-taken.yaml', `storage: { url: "sqlite://${join(dir, 'port-taken.db')}" }\nproviders:\n  sim: { type: simulated }\n`);
      const run = await runCli(['start', '--config', path, '--port', String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  });
});

describe('switchyard --version', () => {
  it('prints the package version and exits 0', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = await runCli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout.trim()).toBe(version);
    }
  });
});

describe('switchyard check reports every problem in one run', () => {
  it('lists unset variables, unknown keys, bad values and dangling references together', async () => {
    const path = file(
      'many-problems.yaml',
      'servr: {}\nserver: { port: 99999 }\nproviders:\n  local: { type: openai-compatible, base_url: "https://${SWITCHYARD_TEST_UNSET}/v1" }\nmodels:\n  m: { targets: [{ provider: ghost, model: x }] }\n',
    );
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: providers.local.base_url: environment variable SWITCHYARD_TEST_UNSET is not set');
    expect(run.stderr).toContain('error: servr: unknown key');
    expect(run.stderr).toMatch(/^error: server\.port: /m);
    expect(run.stderr).toContain('error: models.m.targets[0].provider: unknown provider "ghost"');
  });

  it('names the file in a JSON syntax error', async () => {
    const path = file('broken.json', '{"providers": {');
    const run = await runCli(['check', '--config', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot parse ${path}:`);
  });
});

describe('switchyard --help', () => {
  it('names every config file it looks for and every environment variable the gateway reads', async () => {
    const run = await runCli(['--help']);
    const expected = ['switchyard.yaml', 'switchyard.yml', 'switchyard.json', ...environmentVariablesReadBySource()];
    expect(expected).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(expected).toContain('ANTHROPIC_API_KEY');
    expect(expected.filter((name) => !run.stdout.includes(name))).toEqual([]);
    expect(run.stdout).toContain('--version');
  });

  it('lists the start and check commands and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/switchyard start \[--config FILE\]/);
    expect(run.stdout).toMatch(/switchyard check \[--config FILE\]/);
  });

  it('rejects an unknown command with a non-zero exit and the usage text', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown command: frobnicate');
    expect(run.stderr).toContain('switchyard check');
  });
});
