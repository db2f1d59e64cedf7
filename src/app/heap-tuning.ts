import { setFlagsFromString } from 'node:v8';

/** The V8 switch this module turns off, as a Node command-line flag names it. */
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
  if (execArgv.some((argument) => argument === `--${PRETENURING_FLAG}` || argument === `--no-${PRETENURING_FLAG}`)) return;
  setFlagsFromString(`--no-${PRETENURING_FLAG}`);
}

/**
 * The young generation the gateway is started with (`npm start`, the Docker image, the bench), twice V8's default
 * semi-space of 16 MB. It can only be set when the process starts, on the command line or in `NODE_OPTIONS`.
 *
 * A short JSON request allocates about 60 KB, so at 7,000 requests a second V8's default young generation filled every
 * 30-40 ms. A request's objects are promoted to the old generation once they survive two young collections, and the
 * tail of requests in flight, records waiting for their batch and timers outlived that: about 800 bytes a request
 * were promoted, and the old generation filled with dead requests between full collections. With 32 MB, 180 bytes a
 * request were promoted and the gateway used 6-7 % less CPU a request (docs/benchmarks.md, "The young generation").
 */
export const YOUNG_GENERATION_FLAG = '--max-semi-space-size=32';

/** Whether a process was started with its own semi-space size, on its command line or in `NODE_OPTIONS`. */
export function youngGenerationSized(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env['NODE_OPTIONS']): boolean {
  const named = (argument: string): boolean => /^--max[-_]semi[-_]space[-_]size(=|$)/.test(argument);
  return execArgv.some(named) || (nodeOptions ?? '').split(/\s+/).some(named);
}
