import { createHook } from 'node:async_hooks';

/** One of Node's own tick objects, held for the life of the process (see holdTickObjectMaps). */
let held: object | undefined;

const noop = (): void => undefined;

/**
 * Keeps the hidden classes of Node's `process.nextTick` objects alive for the life of the process.
 *
 * `nextTick` builds each tick as an object literal with two computed symbol keys, and V8 remembers the hidden class
 * each key was added to only weakly. A full collection while no tick is pending (after any idle spell) frees those
 * classes; the next tick finds the remembered one gone, V8 marks the site as seeing many classes, and from then on
 * every tick object is built through V8's runtime: a tick costs about 9 times as much (30 → 260 ns), and a request
 * schedules 8 to 17 of them, for the rest of the process's life (docs/benchmarks.md, "Node's tick objects"). One tick
 * object held holds its classes, so the site keeps the one class it has always seen. Idempotent.
 */
export function holdTickObjectMaps(): void {
  if (held !== undefined) return;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && held === undefined) held = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(noop);
  } finally {
    hook.disable();
  }
}

/** The tick object `holdTickObjectMaps` holds, if it ran. */
export function heldTickObject(): object | undefined {
  return held;
}
