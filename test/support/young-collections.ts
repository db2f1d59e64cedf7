import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc()`, exposed from inside the test process; `{ type: 'minor' }` runs one young-generation collection. */
export function collector(): (options?: { type: 'minor' }) => void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('gc is not exposed');
  return (options) => void gc(options);
}

/** Bytes in use in the old generation: what young-generation collections promoted since a full one. */
function oldSpaceUsed(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ?? 0;
}

/**
 * How much the old generation grew while `work` ran, with young-generation collections only (it gets a `scavenge`
 * to call between its steps): what a long-lived structure kept alive through them.
 */
export function promotedDuring(work: (scavenge: () => void) => void): number {
  const gc = collector();
  gc();
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  const before = oldSpaceUsed();
  work(() => gc({ type: 'minor' }));
  gc({ type: 'minor' });
  gc({ type: 'minor' });
  return oldSpaceUsed() - before;
}
