import { setFlagsFromString } from 'node:v8';
import { commandLineSets } from './v8-command-line.js';

/** The V8 switch `keepRequestObjectsYoung` turns off, as a Node command-line flag names it. */
const PRETENURING_FLAG = 'allocation-site-pretenuring';

/**
 * Turns off V8's allocation-site pretenuring for this process, unless its command line set the flag either way.
 *
 * V8 watches how many objects from each allocation site outlive young-generation collections, and once a site's
 * objects mostly survive, it allocates that site's objects straight in the old generation. A gateway's start and the
 * first seconds under load (the heap still growing, every request in flight surviving a collection) convinced it that
 * some of the request path's sites make long-lived objects. Their objects then died in the old generation still
 * pointing at the rest of their request, which young collections must treat as live: each one promoted about 1.5 MB of
 * finished requests instead of 45 KB, until the process ended. The bench's throughput fell by 20-40 % in the runs that
 * hit it, at random. Every object on the request path lives for one request, so the gateway never gains from it.
 */
export function keepRequestObjectsYoung(execArgv: readonly string[] = process.execArgv): void {
  if (commandLineSets(PRETENURING_FLAG, execArgv)) return;
  setFlagsFromString(`--no-${PRETENURING_FLAG}`);
}

/** The V8 flag `boundOldGenerationGrowth` sets, and the growth it allows over the live heap after a full collection. */
const GROWING_FLAG = 'heap-growing-percent';
const OLD_GENERATION_GROWTH_PERCENT = 50;

/**
 * Lets the old generation grow by half of what survived the last full collection before the next one, unless the
 * command line set `--heap-growing-percent`.
 *
 * Left to itself, V8 lets it grow up to 4 × while its collections are fast. The few objects that outlive two young
 * collections (a request in flight at both) die soon after in the old generation, so under steady load it filled with
 * finished requests: 20 s at 32 connections took the full product from 28 to 104 MB of old space, of which about 45 MB
 * was live, and with 1,000 slow streams opened after that the process peaked at 315 MB of RSS; with this bound, at 242
 * MB (docs/benchmarks.md, "The old generation bounded"). The price is a full collection about every 5 s under load
 * instead of none: 8 in 30 s, 51 ms of pauses in all.
 */
export function boundOldGenerationGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (commandLineSets(GROWING_FLAG, execArgv)) return;
  setFlagsFromString(`--${GROWING_FLAG}=${OLD_GENERATION_GROWTH_PERCENT}`);
}
