import type { RequestLogSink } from '../ports/request-log.js';
import type { ProviderNameResolver } from './write-request-spans.js';

/** A RequestLogSink that exports each finished request as OpenTelemetry spans; `shutdown()` flushes and stops it. */
export type RequestTracer = RequestLogSink & { shutdown(): Promise<void> };

export interface RequestTracerOptions {
  /** Maps provider ids to GenAI provider names (`openai`, `anthropic`, `gcp.gemini`); default: the id itself. */
  resolveProviderName?: ProviderNameResolver;
  /** Reports export failures (the sink itself never throws). */
  onError?: (error: unknown) => void;
}

/** The environment variables that configure trace export. */
export type TracingEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Creates the OTLP request tracer when `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` is set,
 * else returns undefined without loading any OpenTelemetry SDK module (tracing off costs nothing).
 */
export async function createRequestTracer(
  env: TracingEnvironment,
  options: RequestTracerOptions = {},
): Promise<RequestTracer | undefined> {
  const url = resolveTracesUrl(env);
  if (url === undefined || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const { OtlpRequestTracer } = await import('./otlp-request-tracer.js');
  return OtlpRequestTracer.create({
    url,
    headers: parseOtlpHeaders(env.OTEL_EXPORTER_OTLP_HEADERS, env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? 'switchyard',
    resolveProviderName: options.resolveProviderName ?? (() => undefined),
    onError: options.onError ?? (() => {}),
  });
}

/** The traces URL per the OTLP spec: the signal-specific endpoint as is, else the base endpoint plus `v1/traces`. */
export function resolveTracesUrl(env: TracingEnvironment): string | undefined {
  const specific = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (specific !== undefined) return specific;
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (base === undefined) return undefined;
  return `${base.endsWith('/') ? base : `${base}/`}v1/traces`;
}

/** Parses `OTEL_EXPORTER_OTLP_HEADERS`-style `key=value,key2=value2` lists (values URL-encoded); specific wins. */
export function parseOtlpHeaders(...lists: (string | undefined)[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const list of lists) {
    for (const pair of (list ?? '').split(',')) {
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const key = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (key !== '') headers[key] = safeDecode(value);
    }
  }
  return headers;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
