import { parseConfigText } from '../../dist/config/load-config.js';
import { startServer } from '../../dist/app/start-server.js';
import { serveChildControl } from './child-control.js';

// Runs the compiled gateway (what users run) in its own process, against the fake upstream given as argv[2].

/** The bench config: one OpenAI-format and one Anthropic-format provider on the fake; logging off the hot path. */
export function benchConfigYaml(upstreamOrigin: string): string {
  return [
    'server: { host: 127.0.0.1, port: 0 }',
    'logging: { level: warn }',
    'providers:',
    `  up: { type: openai-compatible, base_url: ${upstreamOrigin}/v1 }`,
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
if (!upstream) throw new Error('usage: switchyard-process <upstream origin>');
const loaded = parseConfigText(benchConfigYaml(upstream), 'bench.yaml', {});
if (!loaded.config) throw new Error(`bench config rejected: ${JSON.stringify(loaded.issues)}`);
const server = await startServer(loaded.config, { host: '127.0.0.1', port: 0 });
serveChildControl(Number(new URL(server.url).port), () => server.close());
