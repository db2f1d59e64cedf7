import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a child process reports about itself when the harness asks. */
export interface ChildStats {
  rssMb: number;
  heapUsedMb: number;
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

/** Messages the harness sends to a child. */
export type ControlMessage = { type: 'stats' } | { type: 'stop' };

/** Messages a child sends back. */
export type ChildMessage = { type: 'ready'; port: number; apiKey?: string } | ({ type: 'stats' } & ChildStats);

const MB = 1024 * 1024;

/** Announces the listening port and answers stats/stop requests over the IPC channel. */
export function serveChildControl(port: number, close: () => Promise<void>, apiKey?: string): void {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  process.on('message', (message: ControlMessage) => {
    if (message.type === 'stats') {
      const memory = process.memoryUsage();
      send({
        type: 'stats',
        rssMb: memory.rss / MB,
        heapUsedMb: memory.heapUsed / MB,
        eventLoopP50Ms: loop.percentile(50) / 1e6,
        eventLoopP99Ms: loop.percentile(99) / 1e6,
        eventLoopMaxMs: loop.max / 1e6,
      });
      loop.reset();
    } else {
      // A clean exit, so that --cpu-prof writes its profile.
      void close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port, ...(apiKey === undefined ? {} : { apiKey }) });
}
