import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The gateway config every Switchyard the harness starts runs with (one process, or `--workers N` through the CLI).

/**
 * Which config a Switchyard process runs:
 * - `plain`: an OpenAI-format, an Anthropic-format and an OpenAI Responses API provider on the fake; logging off the
 *   hot path; the request record in SQLite, as by default;
 * - `governed`: `plain` plus issue 12's governance and nothing else: virtual keys required (the key carries RPM/TPM
 *   limits and a daily budget) and RPM/TPM limits on every deployment; the same direct `provider/model` routes, so
 *   its throughput against `plain` in the same round is issue 12's "at most 5 % slower";
 * - `realistic`: issue 17's production config: `governed`, and every model the load generator asks for is a
 *   two-target alias with the `latency` strategy (`realistic-<upstream model>`, and `realistic-ant` for OpenAI in,
 *   Anthropic out), both targets on the fake under two provider names.
 * - `batch`: `plain` plus a SQLite store, so the batch API runs (the batch-beside scenario); the batch lane keeps its
 *   defaults.
 * Every mode keeps its record (and keys, and batch jobs) in a SQLite file of its own in `storageDir`: with the default
 * `./switchyard.db`, plain's record grew across runs (to 1 GB on one machine) while the others started empty, and its
 * inserts slowed with the table.
 */
export type BenchMode = 'plain' | 'governed' | 'realistic' | 'batch';

/** A new directory for one gateway's SQLite file; whoever makes it removes it when the gateway stops. */
export function freshStorageDir(): string {
  return mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
}

/** The bench config for a mode (see BenchMode), its SQLite file in `storageDir`. */
export function benchConfigYaml(upstreamOrigin: string, mode: BenchMode, storageDir: string): string {
  const keyed = mode === 'governed' || mode === 'realistic';
  const realistic = mode === 'realistic';
  return [
    'server: { host: 127.0.0.1, port: 0 }',
    'logging: { level: warn }',
    ...(keyed ? ['auth: { require_keys: true }'] : []),
    `storage: { url: "sqlite://${join(storageDir, `${mode}.db`)}" }`,
    'providers:',
    `  up: { type: openai-compatible, base_url: ${upstreamOrigin}/v1${keyed ? `, ${DEPLOYMENT_LIMITS}` : ''} }`,
    `  ant: { type: anthropic, base_url: ${upstreamOrigin}, api_key: bench-key${keyed ? `, ${DEPLOYMENT_LIMITS}` : ''} }`,
    `  resp: { type: openai, base_url: ${upstreamOrigin}/v1, api_key: bench-key, api: responses${keyed ? `, ${DEPLOYMENT_LIMITS}` : ''} }`,
    ...(realistic
      ? [
          `  up2: { type: openai-compatible, base_url: ${upstreamOrigin}/v1, ${DEPLOYMENT_LIMITS} }`,
          `  ant2: { type: anthropic, base_url: ${upstreamOrigin}, api_key: bench-key, ${DEPLOYMENT_LIMITS} }`,
          `  resp2: { type: openai, base_url: ${upstreamOrigin}/v1, api_key: bench-key, api: responses, ${DEPLOYMENT_LIMITS} }`,
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
    ...(realistic ? realisticAliases() : []),
    '',
  ].join('\n');
}

/** Limits high enough never to refuse: the bench measures their cost, not their effect. */
const DEPLOYMENT_LIMITS = 'limits: { rpm: 100000000, tpm: 100000000000 }';

/** The slow-streams scenario's stream: 50 deltas 100 ms apart (the fake reads the shape from the name). */
export const SLOW_STREAM_MODEL = 's50i100';

/** The upstream models the scenarios ask the fake for (the name sets a stream's shape). */
const BENCH_MODELS = ['bench-model', 's64i0', 's64i20', SLOW_STREAM_MODEL];

/**
 * Two-target `latency` aliases over the fake: `realistic-<model>` (OpenAI format), `realistic-ant` (Anthropic) and
 * `realistic-codex` (OpenAI's Responses API).
 */
function realisticAliases(): string[] {
  const alias = (name: string, providers: [string, string], model: string): string =>
    `  ${name}: { strategy: latency, targets: [{ provider: ${providers[0]}, model: ${model} }, { provider: ${providers[1]}, model: ${model} }] }`;
  return [
    ...BENCH_MODELS.map((model) => alias(`realistic-${model}`, ['up', 'up2'], model)),
    alias('realistic-ant', ['ant', 'ant2'], 'bench-model'),
    alias('realistic-codex', ['resp', 'resp2'], 'bench-model'),
  ];
}
