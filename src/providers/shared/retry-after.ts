import type { HeaderMap } from '../../core/index.js';

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the upstream's retry hint in milliseconds: `retry-after-ms`, `x-ms-retry-after-ms`, then `retry-after`
 * (seconds or an HTTP date). Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: HeaderMap, nowMs: number = Date.now()): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const raw = header(headers, name);
    if (raw !== undefined) {
      const ms = Number(raw);
      if (Number.isFinite(ms) && ms >= 0) return ms;
    }
  }
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Parses a protobuf Duration string such as `"48s"` or `"34.4s"` (Gemini `RetryInfo.retryDelay`) into ms. */
export function parseDurationString(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)s$/.exec(value.trim());
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
