export interface RetentionJobOptions {
  /** Wall-clock epoch ms (records are stamped with epoch ms); default `Date.now`. */
  now?: () => number;
  /** Told how many records each run deleted. */
  onPruned?: (deleted: number) => void;
  /** Told when a run fails; the job keeps running. */
  onError?: (error: unknown) => void;
}

/**
 * Deletes what is older than `retentionMs` (request records, stored responses: whatever `prune` deletes) now and then
 * every `intervalMs`, on an unref'd timer (it never keeps the process alive). Runs never overlap. Returns a function
 * that stops the job.
 */
export function startRetentionJob(
  prune: (olderThanMs: number) => Promise<number>,
  retentionMs: number,
  intervalMs: number,
  options: RetentionJobOptions = {},
): () => void {
  const now = options.now ?? Date.now;
  let running = false;
  let stopped = false;
  const run = async (): Promise<void> => {
    if (running || stopped) return;
    running = true;
    try {
      const deleted = await prune(now() - retentionMs);
      options.onPruned?.(deleted);
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), 0);
  const timer = setInterval(() => void run(), intervalMs);
  first.unref();
  timer.unref();
  return function stopRetentionJob() {
    stopped = true;
    clearTimeout(first);
    clearInterval(timer);
  };
}
