import type { WindowState } from '../ports/window-counters.js';

/** A bucket a request consumed from, with the state it left. */
export interface ConsumedBucket {
  /** The bucket's limit as header text, made once with the bucket: the limit never changes while it lives. */
  limitText: string;
  kind: 'requests' | 'tokens';
  state: WindowState;
}

/** The tightest entry of a kind: the one with the fewest points remaining. */
function tightestOf(consumed: readonly ConsumedBucket[], kind: ConsumedBucket['kind']): ConsumedBucket | undefined {
  let tightest: ConsumedBucket | undefined;
  for (const entry of consumed) if (entry.kind === kind && (!tightest || entry.state.remaining < tightest.state.remaining)) tightest = entry;
  return tightest;
}

/** `0s` … `60s`, made once: a minute's window resets within them, and the header was a new string per request. */
const RESET_TEXTS = Array.from({ length: 61 }, (_, seconds) => `${seconds}s`);

function resetIn(entry: ConsumedBucket): string {
  const seconds = Math.max(0, Math.ceil(entry.state.resetMs / 1000));
  return RESET_TEXTS[seconds] ?? `${seconds}s`;
}

/** Above this a number is no small integer for V8 (a heap number), and `String` of it takes the runtime's slow path. */
const SMALL_INTEGER_LIMIT = 2 ** 30;

/**
 * A whole, non-negative count as text. Large token limits leave counts in the billions, and `String` of one took about
 * 1.5 µs in the gateway against a fraction of that for a small integer (docs/benchmarks.md), so a large count is written
 * as two small ones.
 */
function countText(count: number): string {
  if (count < SMALL_INTEGER_LIMIT) return String(count);
  const billions = Math.floor(count / 1e9);
  return String(billions) + String(count - billions * 1e9).padStart(9, '0');
}

/**
 * `x-ratelimit-*` headers in OpenAI's naming, from the tightest request and token buckets the request touched:
 * limit, remaining, and time to reset (`12s`). Built as literals with fixed names: storing six computed names into an
 * empty object took V8's runtime path once per header on every request.
 */
export function rateLimitHeaders(consumed: readonly ConsumedBucket[]): Record<string, string> {
  const requests = tightestOf(consumed, 'requests');
  const tokens = tightestOf(consumed, 'tokens');
  if (requests && tokens) {
    return {
      'x-ratelimit-limit-requests': requests.limitText,
      'x-ratelimit-remaining-requests': countText(requests.state.remaining),
      'x-ratelimit-reset-requests': resetIn(requests),
      'x-ratelimit-limit-tokens': tokens.limitText,
      'x-ratelimit-remaining-tokens': countText(tokens.state.remaining),
      'x-ratelimit-reset-tokens': resetIn(tokens),
    };
  }
  if (requests) {
    return {
      'x-ratelimit-limit-requests': requests.limitText,
      'x-ratelimit-remaining-requests': countText(requests.state.remaining),
      'x-ratelimit-reset-requests': resetIn(requests),
    };
  }
  if (tokens) {
    return {
      'x-ratelimit-limit-tokens': tokens.limitText,
      'x-ratelimit-remaining-tokens': countText(tokens.state.remaining),
      'x-ratelimit-reset-tokens': resetIn(tokens),
    };
  }
  return {};
}
