import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchConfigYaml, freshStorageDir } from './bench-config.js';

// Switchyard started the way users start it, `switchyard start --workers N`, for the workers scenario: the compiled
// CLI, the realistic config in a file, and a virtual key issued beforehand by `switchyard keys create`.

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** A gateway the CLI runs with `--workers N`. */
export interface CliGateway {
  workers: number;
  origin: string;
  /** The virtual key the load generator sends. */
  apiKey: string;
  stop(): Promise<void>;
}

/** Starts `switchyard start --workers N` with the realistic config (bench-config.ts) against the fake upstream. */
export async function startCliGateway(upstreamOrigin: string, workers: number): Promise<CliGateway> {
  const dir = freshStorageDir();
  const config = join(dir, 'switchyard.yaml');
  writeFileSync(config, benchConfigYaml(upstreamOrigin, 'realistic', dir));
  let child: ChildProcess | undefined;
  try {
    // Limits and a budget high enough never to refuse, as switchyard-process.ts issues them.
    const { stdout } = await promisify(execFile)(process.execPath, [
      CLI, 'keys', 'create', '--config', config, '--name', 'bench', '--rpm', '100000000', '--tpm', '100000000000', '--daily-usd', '1000000', '--json',
    ]);
    const { secret } = JSON.parse(stdout) as { secret: string };
    const started = spawn(process.execPath, [CLI, 'start', '--config', config, '--workers', String(workers)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = started;
    const origin = await listeningOrigin(started);
    return {
      workers,
      origin,
      apiKey: secret,
      stop: async () => {
        await stop(started);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // The directory goes whichever step failed: the key's creation or the start.
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Resolves with the origin the CLI prints once every worker listens ("switchyard listening on URL …"). */
function listeningOrigin(child: ChildProcess): Promise<string> {
  const output = child.stdout;
  if (!output) return Promise.reject(new Error('switchyard start has no stdout to read'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`switchyard start did not listen within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('exit', (code) => reject(new Error(`switchyard start exited with code ${code ?? 'null'} before listening`)));
    const lines = createInterface({ input: output });
    lines.on('line', (line) => {
      const url = /switchyard listening on (http:\/\/\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(new URL(url).origin);
    });
  });
}

/** SIGTERM, as a user stops it (the primary drains every worker); SIGKILL if it has not exited in time. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
