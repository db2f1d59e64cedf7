import { rmSync } from 'node:fs';
import { parseConfigText } from '../../dist/config/load-config.js';
import { startServer } from '../../dist/app/start-server.js';
import { benchConfigYaml, freshStorageDir, type BenchMode } from './bench-config.js';
import { serveChildControl } from './child-control.js';

// Runs the compiled gateway (what users run) in its own process, against the fake upstream given as argv[2].

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: switchyard-process <upstream origin> [plain|governed|realistic|batch]');
const MODES: readonly BenchMode[] = ['plain', 'governed', 'realistic', 'batch'];
const mode = MODES.find((name) => name === (process.argv[3] ?? 'plain'));
if (!mode) throw new Error(`unknown mode ${process.argv[3] ?? ''}: plain, governed, realistic or batch`);
const storageDir = freshStorageDir();
const loaded = parseConfigText(benchConfigYaml(upstream, mode, storageDir), 'bench.yaml', {});
if (!loaded.config) throw new Error(`bench config rejected: ${JSON.stringify(loaded.issues)}`);
const server = await startServer(loaded.config, { host: '127.0.0.1', port: 0 });
// Limits and a budget high enough never to refuse: the bench measures their cost, not their effect.
const issued =
  mode === 'plain' || mode === 'batch'
    ? undefined
    : await server.runtime.governance?.keys?.create({ name: 'bench', limits: { rpm: 100_000_000, tpm: 100_000_000_000 }, budget: { dailyUsd: 1_000_000 } }, 'bench');
serveChildControl(
  Number(new URL(server.url).port),
  async () => {
    await server.close();
    rmSync(storageDir, { recursive: true, force: true });
  },
  issued?.secret,
);
