import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';

/** Editors write in bursts (truncate, write, rename); one reload follows the burst. */
const SETTLE_MS = 200;

/**
 * Calls `onChange` once a burst of changes to the file at `path` settles. The directory is watched, not the file, so
 * a file replaced by rename (most editors, Kubernetes ConfigMap updates) keeps being followed. Returns the stop function.
 */
export function watchConfigFile(path: string, onChange: () => void, logger: Logger): () => void {
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  try {
    const watcher = watch(dirname(path), (_event, changed) => {
      if (changed !== null && changed.toString() !== name && !changed.toString().startsWith('..')) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, SETTLE_MS);
      timer.unref();
    });
    watcher.on('error', (error) => logger.warn({ err: error, path }, 'config file watch failed; reload with SIGHUP or POST /admin/reload'));
    watcher.unref();
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  } catch (error) {
    logger.warn({ err: error, path }, 'cannot watch the config file; reload with SIGHUP or POST /admin/reload');
    return () => undefined;
  }
}
