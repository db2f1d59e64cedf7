import type { RequestLogRecord } from '../ports/request-log.js';
import type { LatencyObservation } from '../ports/routing-statistics.js';
import { deploymentKeyOf } from './deployment-key.js';

/**
 * What a finished request says about its serving deployment's speed: the committed attempt's time to first content
 * (the whole answer for non-streams) and, for streams, the time from that attempt's start to the request's end.
 * Undefined for requests that were not served by an attempt that succeeded.
 */
export function observeServedRequest(entry: RequestLogRecord): LatencyObservation | undefined {
  if (entry.status !== 200 || entry.errorCode !== undefined) return undefined;
  const served = entry.attempts.findLast((attempt) => attempt.outcome === 'ok');
  if (!served) return undefined;
  const ttftMs = served.latencyMs;
  const totalMs = entry.stream ? Math.max(ttftMs, entry.latencyMs - (served.startOffsetMs ?? 0)) : ttftMs;
  const observation: LatencyObservation = { deployment: deploymentKeyOf(served.provider, served.model), stream: entry.stream, ttftMs, totalMs };
  if (entry.usage?.outputTokens !== undefined) observation.outputTokens = entry.usage.outputTokens + (entry.usage.reasoningTokens ?? 0);
  return observation;
}
