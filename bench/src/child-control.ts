import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

/** What a child process reports about itself when the harness asks. */
export interface ChildStats {
  rssMb: number;
  heapUsedMb: number;
  eventLoopP50Ms: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /**
   * The lowest RSS read right after a full (mark-compact) collection of the main thread since the previous call, or
   * NaN when none ran: what a leak raises, without the collector's sawtooth in between.
   */
  afterFullGcRssMb: number;
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
  let afterFullGc = Number.NaN;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (!isFullCollection(entry)) continue;
      const rss = process.memoryUsage.rss() / MB;
      afterFullGc = Number.isNaN(afterFullGc) ? rss : Math.min(afterFullGc, rss);
    }
  }).observe({ entryTypes: ['gc'] });
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
        afterFullGcRssMb: afterFullGc,
      });
      loop.reset();
      afterFullGc = Number.NaN;
    } else {
      // A clean exit, so that --cpu-prof writes its profile.
      void close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port, ...(apiKey === undefined ? {} : { apiKey }) });
}

function isFullCollection(entry: PerformanceEntry): boolean {
  // `detail` holds a gc entry's kind (Node >= 16); the type declarations of this @types/node do not name it.
  const { detail } = entry as { detail?: unknown };
  return typeof detail === 'object' && detail !== null && (detail as { kind?: unknown }).kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}
