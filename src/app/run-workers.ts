import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { serveClusterMetrics } from './cluster-metrics.js';

/** Parses `--workers`: a positive count, or `auto` for one per CPU core. */
export function parseWorkerCount(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === 'auto') return availableParallelism();
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--workers takes a positive whole number or "auto", got "${value}"`);
  return count;
}

/** A worker's message to the primary once it listens. */
interface ListeningMessage {
  switchyard: 'listening';
  url: string;
}

function isListening(message: unknown): message is ListeningMessage {
  return typeof message === 'object' && message !== null && (message as { switchyard?: unknown }).switchyard === 'listening';
}

function isReloadRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { switchyard?: unknown }).switchyard === 'reload-others';
}

/** Asks the primary to reload every other worker (this one reloaded through the admin API); no-op outside a cluster. */
export function reloadOtherWorkers(): void {
  if (cluster.isWorker && process.send) process.send({ switchyard: 'reload-others' });
}

/** Tells the primary process this worker is serving (no-op outside a cluster). */
export function announceListening(url: string): void {
  if (cluster.isWorker && process.send) process.send({ switchyard: 'listening', url } satisfies ListeningMessage);
}

/**
 * Runs the gateway in `count` worker processes sharing one listening port (node:cluster), so every core serves. The
 * primary forwards SIGINT/SIGTERM to the workers, which drain and flush before exiting, and resolves when all exited;
 * SIGHUP is passed on so every worker reloads its config, and so is a reload one worker took through the admin API.
 * A worker that dies unexpectedly is replaced.
 */
export async function runWorkers(count: number, onListening: (url: string, workers: number) => void): Promise<number> {
  let stopping = false;
  let announced = false;
  let ready = 0;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isReloadRequest(message)) {
        for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker) other.process.kill('SIGHUP');
        return;
      }
      if (!isListening(message)) return;
      ready++;
      if (!announced && ready === count) {
        announced = true;
        onListening(message.url, count);
      }
    });
    return worker;
  };
  serveClusterMetrics();
  for (let i = 0; i < count; i++) fork();
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker, code) => {
      if (!stopping) {
        console.error(`worker ${worker.process.pid} exited (code ${code}); starting a replacement`);
        fork();
        return;
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(0);
    });
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: draining ${count} workers…`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    process.on('SIGHUP', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
    });
  });
}

/** True in the primary of a multi-worker run. */
export function isPrimary(): boolean {
  return cluster.isPrimary;
}
