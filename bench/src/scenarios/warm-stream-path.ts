import type { Pool } from 'undici';
import { runConcurrentStreams } from '../load-generator.js';
import { requestFor, type Target } from '../targets.js';

/**
 * Instant streams a target serves before a stream scenario measures it. 50 left a gateway's stream path partly
 * unoptimised when the burst began: in a throwaway driver a stream of two chunks cost the gateway 1.93 ms of CPU after
 * 200 and 1.01 ms after 3,000 (docs/benchmarks.md, ninth session), so the burst measured the JIT as much as the
 * gateway. Without any, the streams ladder's first step met the realistic config cold: 250 streams, every one with a
 * first byte over 250 ms (TTFT p50 562 ms), where after this warm-up it held them with a p99 of 66 ms (nineteenth
 * session).
 */
const WARMUP_STREAMS = 2000;

/** Warms a target's streaming path and some connections with instant streams spread over `rampMs`. */
export async function warmStreamPath(pool: Pool, target: Target, rampMs: number): Promise<void> {
  await runConcurrentStreams(pool, requestFor(target, 'stream', 's64i0'), WARMUP_STREAMS, rampMs);
}
