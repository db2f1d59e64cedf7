import type { ErrorCode } from '../../src/core/index.js';
import type { Script } from '../fakes/index.js';

/** Whether the request streams (SSE) or waits for one JSON body. */
export type Mode = 'stream' | 'non-stream';

/**
 * What the client should see for a fault in one mode. `before-content`: the fault hits before the first content event,
 * so the gateway fails over invisibly (or, alone, answers `status` with the attempt's normalised `reason`).
 * `after-content`: content already reached the client, so the stream ends with an error the SDK raises.
 */
export type Expectation = { phase: 'before-content'; status: number; reason: ErrorCode } | { phase: 'after-content' };

/** One scripted upstream fault; `script` undefined means the primary's port refuses connections. */
export interface FaultCase {
  name: string;
  script?: Script;
  stream: Expectation;
  nonStream: Expectation;
  /** Headers the error response must carry when there is no fallback. */
  errorHeaders?: Record<string, string>;
}

/** The text the stream-shaped faults send (part of) before they fail. */
export const FAULT_TEXT = 'one two three four five six';

function before(status: number, reason: ErrorCode): Expectation {
  return { phase: 'before-content', status, reason };
}

const AFTER: Expectation = { phase: 'after-content' };

/** Every fault the chaos suite injects into the primary, with the outcome per mode. */
export const FAULT_CASES: FaultCase[] = [
  { name: 'HTTP 500', script: { kind: 'error', status: 500 }, stream: before(502, 'upstream_server_error'), nonStream: before(502, 'upstream_server_error') },
  { name: 'HTTP 503', script: { kind: 'error', status: 503 }, stream: before(502, 'upstream_overloaded'), nonStream: before(502, 'upstream_overloaded') },
  {
    name: 'HTTP 429 with retry-after',
    script: { kind: 'error', status: 429, headers: { 'retry-after': '1' } },
    stream: before(429, 'upstream_rate_limited'),
    nonStream: before(429, 'upstream_rate_limited'),
    errorHeaders: { 'retry-after': '1' },
  },
  { name: 'HTTP 529', script: { kind: 'error', status: 529 }, stream: before(502, 'upstream_overloaded'), nonStream: before(502, 'upstream_overloaded') },
  { name: 'connection refused', stream: before(502, 'upstream_connection_error'), nonStream: before(502, 'upstream_connection_error') },
  {
    name: 'reset before the first event',
    script: { kind: 'reset-mid-body', afterBytes: 5 },
    stream: before(502, 'upstream_connection_error'),
    nonStream: before(502, 'upstream_connection_error'),
  },
  { name: 'reset mid-body', script: { kind: 'reset-mid-body' }, stream: AFTER, nonStream: before(502, 'upstream_connection_error') },
  { name: 'hang before headers', script: { kind: 'hang-before-headers' }, stream: before(504, 'upstream_timeout'), nonStream: before(504, 'upstream_timeout') },
  {
    name: 'slow first token',
    script: { kind: 'text', text: FAULT_TEXT, ttftMs: 2000 },
    stream: before(504, 'upstream_timeout'),
    nonStream: before(504, 'upstream_timeout'),
  },
  {
    name: 'stall before the first token',
    script: { kind: 'stall-after', chunks: 0, text: FAULT_TEXT },
    stream: before(504, 'upstream_timeout'),
    nonStream: before(504, 'upstream_timeout'),
  },
  { name: 'stall mid-stream', script: { kind: 'stall-after', chunks: 2, text: FAULT_TEXT }, stream: AFTER, nonStream: before(504, 'upstream_timeout') },
  {
    name: 'error event after HTTP 200, before content',
    script: { kind: 'error-after-start', chunksBefore: 0, text: FAULT_TEXT },
    stream: before(502, 'upstream_server_error'),
    nonStream: before(502, 'upstream_connection_error'),
  },
  {
    name: 'error event after content',
    script: { kind: 'error-after-start', chunksBefore: 2, text: FAULT_TEXT },
    stream: AFTER,
    nonStream: before(502, 'upstream_connection_error'),
  },
  { name: 'truncated SSE', script: { kind: 'truncated-sse', chunks: 2, text: FAULT_TEXT }, stream: AFTER, nonStream: before(502, 'upstream_malformed_response') },
  {
    name: 'malformed JSON',
    script: { kind: 'malformed-json' },
    stream: before(502, 'upstream_malformed_response'),
    nonStream: before(502, 'upstream_malformed_response'),
  },
  {
    name: 'wrong content type',
    script: { kind: 'wrong-content-type' },
    stream: before(502, 'upstream_malformed_response'),
    nonStream: before(502, 'upstream_malformed_response'),
  },
];
