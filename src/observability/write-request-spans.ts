import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, HrTime, Span, Tracer } from '@opentelemetry/api';
import { totalInputTokens, totalOutputTokens } from '../core/index.js';
import type { AttemptRecord } from '../core/index.js';
import type { RequestLogRecord } from '../ports/request-log.js';
import { ATTR } from './trace-attributes.js';

/** Maps a provider id from the config to the GenAI `gen_ai.provider.name` value (e.g. `openai`, `gcp.gemini`). */
export type ProviderNameResolver = (providerId: string) => string | undefined;

/** An attempt placed on the request's timeline, in ms after the request arrived. */
interface TimedAttempt {
  attempt: AttemptRecord;
  index: number;
  startMs: number;
  endMs: number;
}

const HTTP_ROUTES: Readonly<Record<RequestLogRecord['clientFormat'], string>> = {
  'openai-chat': '/v1/chat/completions',
  'openai-responses': '/v1/responses',
  'anthropic-messages': '/v1/messages',
  gemini: '/v1beta/models/*',
  embeddings: '/v1/embeddings',
};

/**
 * Writes one finished request as spans with explicit times: a server span for the request, a `route` child, and one
 * client span per upstream attempt under the route. Ids come from the tracer; times come only from the record.
 */
export function writeRequestSpans(tracer: Tracer, record: RequestLogRecord, resolveProviderName: ProviderNameResolver): void {
  const operation = record.clientFormat === 'embeddings' ? 'embeddings' : 'chat';
  const route = HTTP_ROUTES[record.clientFormat];
  const providerAttributes = (providerId: string | undefined): Attributes =>
    providerId === undefined
      ? {}
      : {
          [ATTR.providerId]: providerId,
          [ATTR.genAiProviderName]: resolveProviderName(providerId) ?? providerId,
          [ATTR.genAiSystem]: resolveProviderName(providerId) ?? providerId,
        };

  const root = tracer.startSpan(
    `POST ${route}`,
    {
      kind: SpanKind.SERVER,
      startTime: atOffset(record.startedAt, 0),
      attributes: {
        [ATTR.httpRequestMethod]: 'POST',
        [ATTR.httpRoute]: route,
        [ATTR.httpResponseStatusCode]: record.status,
        [ATTR.requestId]: record.id,
        [ATTR.clientFormat]: record.clientFormat,
        [ATTR.genAiOperationName]: operation,
        [ATTR.genAiRequestStream]: record.stream,
        ...optional(ATTR.keyId, record.keyId),
        ...optional(ATTR.genAiRequestModel, record.requestedModel),
        ...optional(ATTR.genAiResponseModel, record.model),
        ...optional(ATTR.overheadMs, record.overheadMs),
        ...optional(ATTR.genAiResponseTimeToFirstChunk, record.ttftMs === undefined ? undefined : record.ttftMs / 1000),
        ...providerAttributes(record.provider),
        ...usageAttributes(record),
      },
    },
    ROOT_CONTEXT,
  );
  markError(root, record.errorCode, record.errorMessage);

  const attempts = placeAttempts(record.attempts);
  const routeStart = attempts.length === 0 ? 0 : Math.min(...attempts.map((a) => a.startMs));
  const routeEnd = attempts.length === 0 ? record.latencyMs : Math.max(...attempts.map((a) => a.endMs));
  const routeSpan = tracer.startSpan(
    'route',
    {
      kind: SpanKind.INTERNAL,
      startTime: atOffset(record.startedAt, routeStart),
      attributes: {
        [ATTR.attemptCount]: attempts.length,
        ...optional(ATTR.genAiRequestModel, record.requestedModel),
        ...optional(ATTR.genAiResponseModel, record.model),
        ...providerAttributes(record.provider),
      },
    },
    trace.setSpan(ROOT_CONTEXT, root),
  );
  const served = attempts.some((a) => a.attempt.outcome === 'ok');
  if (!served) markError(routeSpan, record.errorCode, record.errorMessage);

  const routeContext = trace.setSpan(ROOT_CONTEXT, routeSpan);
  for (const { attempt, index, startMs, endMs } of attempts) {
    const span = tracer.startSpan(
      `${operation} ${attempt.model}`,
      {
        kind: SpanKind.CLIENT,
        startTime: atOffset(record.startedAt, startMs),
        attributes: {
          [ATTR.genAiOperationName]: operation,
          [ATTR.genAiRequestModel]: attempt.model,
          [ATTR.attemptIndex]: index,
          ...providerAttributes(attempt.provider),
          ...optional(ATTR.httpResponseStatusCode, attempt.status),
          ...optional(ATTR.retryWaitMs, attempt.retryWaitMs),
          ...(attempt.outcome === 'ok' ? servedAttemptAttributes(record) : { [ATTR.errorType]: attempt.outcome }),
        },
      },
      routeContext,
    );
    if (attempt.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.outcome });
    span.end(atOffset(record.startedAt, endMs));
  }

  routeSpan.end(atOffset(record.startedAt, routeEnd));
  root.end(atOffset(record.startedAt, record.latencyMs));
}

/**
 * Places attempts on the request timeline. An attempt without `startOffsetMs` starts where the previous one ended
 * plus its own retry wait, which is what the engine's sequential failover does.
 */
function placeAttempts(attempts: readonly AttemptRecord[]): TimedAttempt[] {
  const placed: TimedAttempt[] = [];
  let previousEnd = 0;
  attempts.forEach((attempt, index) => {
    const startMs = attempt.startOffsetMs ?? previousEnd + (attempt.retryWaitMs ?? 0);
    const endMs = startMs + Math.max(0, attempt.latencyMs);
    placed.push({ attempt, index, startMs, endMs });
    previousEnd = endMs;
  });
  return placed;
}

function servedAttemptAttributes(record: RequestLogRecord): Attributes {
  const finish = record.finishReason;
  return {
    ...optional(ATTR.genAiResponseModel, record.model),
    ...usageAttributes(record),
    ...(finish === undefined ? {} : { [ATTR.genAiResponseFinishReasons]: [finish.raw ?? finish.unified] }),
  };
}

function usageAttributes(record: RequestLogRecord): Attributes {
  const usage = record.usage;
  if (usage === undefined) return {};
  return {
    ...optional(ATTR.genAiUsageInputTokens, totalInputTokens(usage)),
    ...optional(ATTR.genAiUsageOutputTokens, totalOutputTokens(usage)),
    ...optional(ATTR.genAiUsageCacheReadInputTokens, usage.cacheReadTokens),
    ...optional(ATTR.genAiUsageCacheCreationInputTokens, usage.cacheWriteTokens),
    ...optional(ATTR.genAiUsageReasoningOutputTokens, usage.reasoningTokens),
  };
}

function markError(span: Span, errorCode: string | undefined, message: string | undefined): void {
  if (errorCode === undefined) return;
  span.setAttribute(ATTR.errorType, errorCode);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? errorCode });
}

function optional(name: string, value: string | number | undefined): Attributes {
  return value === undefined ? {} : { [name]: value };
}

/**
 * Converts epoch ms plus an offset to an HrTime. Plain numbers would be ambiguous to the SDK (values below the
 * process's time origin are read as `performance.now()` offsets), so times are always passed as [seconds, nanos].
 */
function atOffset(epochMs: number, offsetMs: number): HrTime {
  const totalMs = epochMs + offsetMs;
  const seconds = Math.floor(totalMs / 1000);
  const nanos = Math.round((totalMs - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}
