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
