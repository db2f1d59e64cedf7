#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HELP } from './app/cli-help.js';
import { formatCompareTable } from './app/compare-table.js';
import type { StoredComparison } from './ports/comparison.js';
import { loadEffectiveConfig } from './app/resolve-config-source.js';
import { announceListening, isPrimary, parseWorkerCount, reloadOtherWorkers, runWorkers } from './app/run-workers.js';
import { describeProviders, startServer, type RunningServer } from './app/start-server.js';
import { preloadTokenizer } from './app/preload-tokenizer.js';
import { holdTickObjectMaps } from './app/tick-object-maps.js';
import { runKeysCommand } from './app/run-keys-command.js';
import { runBatchCommand } from './app/run-batch-command.js';


async function check(configPath: string | undefined): Promise<number> {
  const result = await loadEffectiveConfig(configPath, process.env, process.cwd());
  for (const note of result.notes) console.log(`note: ${note}`);
  if (result.issues.length > 0) {
    for (const issue of result.issues) console.error(`error: ${issue.path || '(root)'}: ${issue.message}`);
    return 1;
  }
  const config = result.config;
  if (!config) return 1;
  console.log(`ok: ${config.source} — ${config.providers.size} provider(s), ${config.models.size} model alias(es)`);
  return 0;
}

async function start(configPath: string | undefined, port: string | undefined, host: string | undefined, workers: string | undefined): Promise<number> {
  // Before the config is read and parsed, whose garbage may bring the first full collection (startServer does it too).
  holdTickObjectMaps();
  const result = await loadEffectiveConfig(configPath, process.env, process.cwd());
  if (!result.config) {
    for (const issue of result.issues) console.error(`error: ${issue.path || '(root)'}: ${issue.message}`);
    return 1;
  }
  const config = result.config;
  const count = parseWorkerCount(workers);
  if (count > 1 && isPrimary()) {
    for (const note of result.notes) console.log(`note: ${note}`);
    return runWorkers(count, (url, n) => {
      console.log(`switchyard listening on ${url} with ${n} workers (config: ${config.source})`);
      console.log('providers:');
      for (const line of describeProviders(config)) console.log(line);
    });
  }
  for (const note of count > 1 ? [] : result.notes) console.log(`note: ${note}`);
  // Before listening: otherwise the first request that counts tokens would wait for the tokenizer's load.
  preloadTokenizer(config);
  const server = await startServer(config, {
    ...(port === undefined ? {} : { port: Number(port) }),
    ...(host === undefined ? {} : { host }),
    ...(count > 1 ? { clusterWorker: true, onAdminReload: reloadOtherWorkers } : {}),
    loadConfig: () => loadEffectiveConfig(configPath, process.env, process.cwd()),
  });
  process.on('SIGHUP', () => void reload(server));
  if (count > 1) {
    announceListening(server.url);
    // Ctrl-C reaches the whole process group; the primary turns it into one SIGTERM per worker, which drains.
    process.on('SIGINT', () => undefined);
    await new Promise<void>((resolve) => process.once('SIGTERM', () => void server.close().then(resolve)));
    // The IPC channel to the primary would keep this worker alive after it drained.
    process.disconnect?.();
    return 0;
  }
  console.log(`switchyard listening on ${server.url} (config: ${config.source})`);
  console.log('providers:');
  for (const line of describeProviders(config)) console.log(line);
  console.log(`try: curl ${server.url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"simulated/echo","messages":[{"role":"user","content":"hello"}]}'`);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      console.log(`${signal}: draining in-flight requests…`);
      void server.close().then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

/** SIGHUP: re-reads the config; a valid one replaces the running routes and providers, an invalid one is reported and ignored. */
async function reload(server: RunningServer): Promise<void> {
  const outcome = await server.reloadFromSource('SIGHUP');
  if (!outcome.reloaded) {
    for (const issue of outcome.issues) console.error(`reload rejected: ${issue.path || '(root)'}: ${issue.message}`);
    return;
  }
  console.log(`config reloaded from ${outcome.config.source} (hash ${outcome.config.hash})`);
}

/** `switchyard compare`: asks a running gateway's /v1/compare and prints the legs side by side. */
async function compare(models: string | undefined, prompt: string | undefined, url: string | undefined): Promise<number> {
  if (!models || !prompt) {
    console.error('usage: switchyard compare --models a,b,c "prompt" [--url http://127.0.0.1:4000]');
    return 2;
  }
  const base = (url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const response = await fetch(`${base}/v1/compare`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ models: models.split(',').map((name) => name.trim()), messages: [{ role: 'user', content: prompt }] }),
  });
  const body = (await response.json()) as StoredComparison & { error?: { message?: string } };
  if (!response.ok) {
    console.error(`error: ${body.error?.message ?? `HTTP ${response.status}`}`);
    return 1;
  }
  console.log(formatCompareTable(body.legs));
  console.log(`\ncomparison ${body.id}`);
  return body.legs.some((leg) => leg.error) ? 1 : 0;
}

/** What `switchyard feedback` sends: the score as a number or a boolean, the rest as given. */
interface FeedbackArgs {
  requestId: string | undefined;
  score: string | undefined;
  metric: string | undefined;
  comment: string | undefined;
  url: string | undefined;
}

/** `switchyard feedback`: scores a served request through a running gateway's POST /v1/feedback. */
async function feedback(args: FeedbackArgs): Promise<number> {
  const score = args.score === 'true' ? true : args.score === 'false' ? false : args.score === undefined || args.score.trim() === '' ? Number.NaN : Number(args.score);
  if (!args.requestId || (typeof score === 'number' && Number.isNaN(score))) {
    console.error('usage: switchyard feedback REQUEST_ID --score 0..1|true|false [--metric NAME] [--comment TEXT] [--url http://127.0.0.1:4000]');
    return 2;
  }
  const base = (args.url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const response = await fetch(`${base}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      request_id: args.requestId,
      score,
      ...(args.metric === undefined ? {} : { metric: args.metric }),
      ...(args.comment === undefined ? {} : { comment: args.comment }),
    }),
  });
  const body = (await response.json()) as { request_id?: string; metric?: string; score?: number; error?: { message?: string } };
  if (!response.ok) {
    console.error(`error: ${body.error?.message ?? `HTTP ${response.status}`}`);
    return 1;
  }
  console.log(`feedback stored: ${body.request_id ?? args.requestId} ${body.metric ?? 'quality'}=${body.score ?? String(score)}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'batch') return runBatchCommand(argv.slice(1));
  if (argv[0] === 'keys') {
    const config = argv.findIndex((arg) => arg === '--config' || arg === '-c');
    const path = config === -1 ? undefined : argv[config + 1];
    const rest = config === -1 ? argv.slice(1) : argv.slice(1).filter((_, i) => i + 1 !== config && i + 1 !== config + 1);
    return runKeysCommand(rest, path);
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      workers: { type: 'string', short: 'w' },
      models: { type: 'string', short: 'm' },
      url: { type: 'string' },
      score: { type: 'string' },
      metric: { type: 'string' },
      comment: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    // package.json sits one level above both src/ and dist/.
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(version);
    return 0;
  }
  const command = positionals[0] ?? 'start';
  if (values.help || command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (command === 'check') return check(values.config);
  if (command === 'compare') return compare(values.models, positionals[1], values.url);
  if (command === 'feedback') {
    return feedback({ requestId: positionals[1], score: values.score, metric: values.metric, comment: values.comment, url: values.url });
  }
  if (command === 'start') return start(values.config, values.port, values.host, values.workers);
  console.error(`unknown command: ${command}\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    // A start that failed halfway leaves pools and timers open that would keep the process alive, unusable.
    process.exit(1);
  },
);
