import { parseConfigText } from '../../dist/config/load-config.js';
import { startServer } from '../../dist/app/start-server.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveChildControl } from './child-control.js';

// Runs the compiled gateway (what users run) in its own process, against the fake upstream given as argv[2].

/**
 * The bench config: one OpenAI-format and one Anthropic-format provider on the fake; logging off the hot path.
 * `governed` is issue 17's realistic production config: virtual keys required (the key carries RPM/TPM limits and a
 * budget), RPM/TPM limits on the deployments, the request record in SQLite, metrics, and every model the load
 * generator asks for is a two-target alias with the `latency` strategy (`realistic-<upstream model>`, and
 * `realistic-ant` for OpenAI in, Anthropic out), both targets on the fake under two provider names.
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
    `  up: { type: openai-compatible, base_url: ${upstreamOrigin}/v1${governed ? `, ${DEPLOYMENT_LIMITS}` : ''} }`,
    `  ant: { type: anthropic, base_url: ${upstreamOrigin}, api_key: bench-key${governed ? `, ${DEPLOYMENT_LIMITS}` : ''} }`,
    ...(governed
      ? [
          `  up2: { type: openai-compatible, base_url: ${upstreamOrigin}/v1, ${DEPLOYMENT_LIMITS} }`,
          `  ant2: { type: anthropic, base_url: ${upstreamOrigin}, api_key: bench-key, ${DEPLOYMENT_LIMITS} }`,
        ]
      : []),
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
    ...(governed ? realisticAliases() : []),
    '',
  ].join('\n');
}

/** Limits high enough never to refuse: the bench measures their cost, not their effect. */
const DEPLOYMENT_LIMITS = 'limits: { rpm: 100000000, tpm: 100000000000 }';

/** The upstream models the scenarios ask the fake for (the name sets a stream's shape). */
const BENCH_MODELS = ['bench-model', 's64i0', 's64i20'];

/** Two-target `latency` aliases over the fake: `realistic-<model>` (OpenAI format) and `realistic-ant` (Anthropic). */
function realisticAliases(): string[] {
  const alias = (name: string, providers: [string, string], model: string): string =>
    `  ${name}: { strategy: latency, targets: [{ provider: ${providers[0]}, model: ${model} }, { provider: ${providers[1]}, model: ${model} }] }`;
  return [...BENCH_MODELS.map((model) => alias(`realistic-${model}`, ['up', 'up2'], model)), alias('realistic-ant', ['ant', 'ant2'], 'bench-model')];
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
