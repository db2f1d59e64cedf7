import { parseConfigText } from '../../dist/config/load-config.js';
import { startServer } from '../../dist/app/start-server.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveChildControl } from './child-control.js';

// Runs the compiled gateway (what users run) in its own process, against the fake upstream given as argv[2].

/**
 * The bench config: one OpenAI-format and one Anthropic-format provider on the fake; logging off the hot path.
 * `governed` requires virtual keys and puts RPM/TPM limits on the deployment and a request record beside them.
 */
export function benchConfigYaml(upstreamOrigin: string, governed = false): string {
  return [
    'server: { host: 127.0.0.1, port: 0 }',
    'logging: { level: warn }',
    ...(governed
      ? [
          'auth: { require_keys: true }',
          `storage: { url: "sqlite://${join(mkdtempSync(join(tmpdir(), 'switchyard-bench-')), 'governed.db')}" }`,
        ]
      : []),
    'providers:',
    `  up: { type: openai-compatible, base_url: ${upstreamOrigin}/v1${governed ? ', limits: { rpm: 100000000, tpm: 100000000000 }' : ''} }`,
    `  ant: { type: anthropic, base_url: ${upstreamOrigin}, api_key: bench-key }`,
    // Port 1 on loopback refuses connections at once: a primary that is down.
    '  dead: { type: openai-compatible, base_url: http://127.0.0.1:1/v1 }',
    'models:',
    '  fo-healthy: { targets: [{ provider: up, model: bench-model }] }',
    '  fo-refused:',
    '    targets: [{ provider: dead, model: bench-model }, { provider: up, model: bench-model }]',
    '    retry: { attempts: 1 }',
    '    breaker: { failure_threshold: 1000000000, min_requests: 1000000000 }',
    '  fo-503:',
    '    targets: [{ provider: up, model: fail503 }, { provider: up, model: bench-model }]',
    '    retry: { attempts: 1 }',
    '    breaker: { failure_threshold: 1000000000, min_requests: 1000000000 }',
    '  fo-breaker:',
    '    targets: [{ provider: dead, model: bench-model }, { provider: up, model: bench-model }]',
    '    retry: { attempts: 1 }',
    '    breaker: { failure_threshold: 1, cooldown_ms: 3600000 }',
    '',
  ].join('\n');
}

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: switchyard-process <upstream origin> [governed]');
const governed = process.argv[3] === 'governed';
const loaded = parseConfigText(benchConfigYaml(upstream, governed), 'bench.yaml', {});
if (!loaded.config) throw new Error(`bench config rejected: ${JSON.stringify(loaded.issues)}`);
const server = await startServer(loaded.config, { host: '127.0.0.1', port: 0 });
// Limits and a budget high enough never to refuse: the bench measures their cost, not their effect.
const issued = governed
  ? await server.runtime.governance?.keys?.create({ name: 'bench', limits: { rpm: 100_000_000, tpm: 100_000_000_000 }, budget: { dailyUsd: 1_000_000 } }, 'bench')
  : undefined;
serveChildControl(Number(new URL(server.url).port), () => server.close(), issued?.secret);
