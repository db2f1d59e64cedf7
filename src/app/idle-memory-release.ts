import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** What the release watches: requests begun since the server started, and those not yet answered. */
export interface ServingActivity {
  started(): number;
  inFlight(): number;
}

export interface IdleReleaseDeps {
  activity: ServingActivity;
  /** How long nothing may arrive or run before the heap is collected. */
  idleMs: number;
  /** Bytes V8 holds for the heap now. */
  heapBytes(): number;
  /** The collections that give memory back. */
  collect(): void;
  /** Calls `tick` every `ms` until the returned function is called. */
  every(ms: number, tick: () => void): () => void;
  /** Told after each release: the heap before and after, and how long the collections held the thread. */
  released?(beforeBytes: number, afterBytes: number, pauseMs: number): void;
  /** Milliseconds on a monotonic clock, for the pause. */
  now(): number;
}

/** Each quiet period is checked this many times, so a release comes between 1 and 1.25 periods after the last request. */
const CHECKS_PER_PERIOD = 4;

/**
 * Below this much growth since the last release, a quiet period collects nothing: sparse traffic (one request every
 * quarter of a minute) would otherwise pay two full collections per request for memory it never took.
 */
const MIN_GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * Gives memory back after load: once no request has arrived or run for `idleMs`, and the heap has grown by 16 MB
 * since the last release, runs V8's full collection. V8 does not do this itself: after a burst (the bench's 500
 * concurrent streams) the full product sat at 223 MB resident for as long as it stayed idle, its old space holding
 * 68 MB of which 38 was live and its young generation 32 MB for a load that had gone; two collections took it to 162
 * MB (docs/operations.md, "The Node process"). Returns the function that stops it.
 */
export function releaseMemoryWhenIdle(deps: IdleReleaseDeps): () => void {
  const { activity } = deps;
  let seen = activity.started();
  let quietChecks = 0;
  let afterLast: number | undefined;
  return deps.every(Math.max(1, Math.floor(deps.idleMs / CHECKS_PER_PERIOD)), () => {
    const started = activity.started();
    if (started !== seen || activity.inFlight() > 0) {
      seen = started;
      quietChecks = 0;
      return;
    }
    quietChecks += 1;
    // Once per quiet period: the checks after it keep counting and never equal this again until a request comes.
    if (quietChecks !== CHECKS_PER_PERIOD) return;
    const before = deps.heapBytes();
    if (afterLast !== undefined && before < afterLast + MIN_GROWTH_BYTES) return;
    const startedAt = deps.now();
    deps.collect();
    afterLast = deps.heapBytes();
    deps.released?.(before, afterLast, deps.now() - startedAt);
  });
}

/** V8's heap as it stands: what `releaseMemoryWhenIdle` compares. */
export function committedHeapBytes(): number {
  return getHeapStatistics().total_heap_size;
}

/**
 * Two of V8's full collections, obtained without `--expose-gc` on the command line: the flag is set only while a
 * fresh context is made to hand over its `gc`, which belongs to the isolate, not to that context. Two, because the
 * first empties the young generation and frees dead old objects, and only the second gives back the old space's
 * emptied pages (223 → 191 → 162 MB resident in the measurement above; a single one stayed at 191 MB for 17 s).
 */
export function fullCollections(): () => void {
  const gc = isolateGc();
  return () => {
    gc();
    gc();
  };
}

/** Made once per process: every gateway a process starts (the test suite starts hundreds) shares it. */
let obtained: (() => void) | undefined;

function isolateGc(): () => void {
  obtained ??= obtainGc();
  return obtained;
}

function obtainGc(): () => void {
  const global: unknown = Reflect.get(globalThis, 'gc');
  if (typeof global === 'function') return () => void Reflect.apply(global, undefined, []);
  setFlagsFromString('--expose-gc');
  let handed: unknown;
  try {
    handed = runInNewContext('gc');
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
  if (typeof handed !== 'function') throw new Error('V8 gave no gc function with --expose-gc');
  const gc = handed;
  return () => void Reflect.apply(gc, undefined, []);
}
