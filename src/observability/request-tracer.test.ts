import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRequestRecordFixture } from '../../test/support/load-request-record-fixture.js';
import { attributeValue, startOtlpTestReceiver, unixNanoToMs } from '../../test/support/otlp-test-receiver.js';
import type { OtlpSpan, OtlpTestReceiver } from '../../test/support/otlp-test-receiver.js';
import { createRequestTracer, parseOtlpHeaders, resolveTracesUrl } from './request-tracer.js';
import type { RequestTracer } from './request-tracer.js';

const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
const STATUS_ERROR = 2;

let receiver: OtlpTestReceiver | undefined;
let tracer: RequestTracer | undefined;

afterEach(async () => {
  await tracer?.shutdown();
  await receiver?.close();
  tracer = undefined;
  receiver = undefined;
});

async function traceRecords(names: Parameters<typeof loadRequestRecordFixture>[0][]): Promise<OtlpTestReceiver> {
  receiver = await startOtlpTestReceiver();
  tracer = await createRequestTracer(
    { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'switchyard-test' },
    { resolveProviderName: (id) => ({ 'openai-main': 'openai', 'anthropic-main': 'anthropic' })[id] },
  );
  if (tracer === undefined) throw new Error('tracer not created');
  for (const name of names) tracer.record(loadRequestRecordFixture(name));
  await tracer.flush();
  return receiver;
}

function byName(spans: OtlpSpan[], name: string): OtlpSpan {
  const span = spans.find((s) => s.name === name);
  if (span === undefined) throw new Error(`no span named ${name}; got ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

describe('createRequestTracer', () => {
  it('returns undefined when no OTLP endpoint is configured', async () => {
    expect(await createRequestTracer({})).toBeUndefined();
    expect(await createRequestTracer({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeUndefined();
    expect(await createRequestTracer({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('imports no OpenTelemetry module statically, so tracing off loads nothing', () => {
    const source = readFileSync(new URL('./request-tracer.ts', import.meta.url), 'utf8');
    const staticImports = source.split('\n').filter((line) => /^import (?!type )/.test(line));
    expect(staticImports).toEqual([]);
  });

  it('exports request → route → attempt spans as OTLP/HTTP JSON with the service name', async () => {
    const { spans, requests, contentTypes } = await traceRecords(['failoverStream']);
    expect(contentTypes[0]).toContain('application/json');
    expect(attributeValue(requests[0]?.resourceSpans[0]?.resource.attributes ?? [], 'service.name')).toBe('switchyard-test');

    const all = spans();
    expect(all.map((s) => s.name).sort()).toEqual(['POST /v1/chat/completions', 'chat claude-sonnet-4', 'chat gpt-4.1', 'route']);
    const root = byName(all, 'POST /v1/chat/completions');
    const route = byName(all, 'route');
    const failed = byName(all, 'chat gpt-4.1');
    const served = byName(all, 'chat claude-sonnet-4');
    expect(root.parentSpanId ?? '').toBe('');
    expect(route.parentSpanId).toBe(root.spanId);
    expect(failed.parentSpanId).toBe(route.spanId);
    expect(served.parentSpanId).toBe(route.spanId);
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1);
    expect([root.kind, route.kind, failed.kind]).toEqual([SPAN_KIND.server, SPAN_KIND.internal, SPAN_KIND.client]);
  });

  it('puts GenAI and request attributes on the request span', async () => {
    const root = byName((await traceRecords(['failoverStream'])).spans(), 'POST /v1/chat/completions');
    const attr = (key: string): unknown => attributeValue(root.attributes, key);
    expect(attr('switchyard.request.id')).toBe('req_failover');
    expect(attr('switchyard.client_format')).toBe('openai-chat');
    expect(attr('http.response.status_code')).toBe(200);
    expect(attr('gen_ai.operation.name')).toBe('chat');
    expect(attr('gen_ai.request.model')).toBe('smart');
    expect(attr('gen_ai.response.model')).toBe('claude-sonnet-4');
    expect(attr('gen_ai.provider.name')).toBe('anthropic');
    expect(attr('gen_ai.system')).toBe('anthropic');
    expect(attr('switchyard.provider.id')).toBe('anthropic-main');
    expect(attr('gen_ai.usage.input_tokens')).toBe(125);
    expect(attr('gen_ai.usage.output_tokens')).toBe(50);
    expect(attr('gen_ai.response.time_to_first_chunk')).toBe(0.45);
    expect(root.status?.code ?? 0).not.toBe(STATUS_ERROR);
  });

  it('times spans from the record: request from startedAt, attempts from their start offsets', async () => {
    const all = (await traceRecords(['failoverStream'])).spans();
    const startedAt = 1_700_000_000_000;
    const window = (name: string): [number, number] => {
      const span = byName(all, name);
      return [unixNanoToMs(span.startTimeUnixNano) - startedAt, unixNanoToMs(span.endTimeUnixNano) - startedAt];
    };
    expect(window('POST /v1/chat/completions')).toEqual([0, 975.5]);
    expect(window('chat gpt-4.1')).toEqual([2, 122]);
    expect(window('chat claude-sonnet-4')).toEqual([172, 972]);
    expect(window('route')).toEqual([2, 972]);
  });

  it('marks failed attempts with error.type and the served attempt with usage and finish reason', async () => {
    const all = (await traceRecords(['failoverStream'])).spans();
    const failed = byName(all, 'chat gpt-4.1');
    const served = byName(all, 'chat claude-sonnet-4');
    expect(attributeValue(failed.attributes, 'error.type')).toBe('upstream_rate_limited');
    expect(attributeValue(failed.attributes, 'http.response.status_code')).toBe(429);
    expect(attributeValue(failed.attributes, 'gen_ai.provider.name')).toBe('openai');
    expect(attributeValue(failed.attributes, 'gen_ai.request.model')).toBe('gpt-4.1');
    expect(failed.status?.code).toBe(STATUS_ERROR);
    expect(attributeValue(served.attributes, 'error.type')).toBeUndefined();
    expect(attributeValue(served.attributes, 'gen_ai.usage.output_tokens')).toBe(50);
    expect(attributeValue(served.attributes, 'gen_ai.response.finish_reasons')).toEqual(['end_turn']);
    expect(attributeValue(served.attributes, 'switchyard.attempt.retry_wait_ms')).toBe(50);
  });

  it('marks failed requests as errors and places attempts without offsets one after another', async () => {
    const all = (await traceRecords(['allFailed'])).spans();
    const root = byName(all, 'POST /v1/chat/completions');
    expect(root.status?.code).toBe(STATUS_ERROR);
    expect(attributeValue(root.attributes, 'error.type')).toBe('all_targets_failed');
    expect(byName(all, 'route').status?.code).toBe(STATUS_ERROR);
    const second = byName(all, 'chat claude-sonnet-4');
    // First attempt ran 0–100 ms; the second waited 20 ms, then ran 30 ms.
    expect(unixNanoToMs(second.startTimeUnixNano) - 1_700_000_003_000).toBe(120);
    expect(unixNanoToMs(second.endTimeUnixNano) - 1_700_000_003_000).toBe(150);
  });

  it('traces requests that never reached an upstream with a route span and no attempts', async () => {
    const all = (await traceRecords(['unknownModel'])).spans();
    expect(all.map((s) => s.name).sort()).toEqual(['POST /v1/messages', 'route']);
    expect(attributeValue(byName(all, 'POST /v1/messages').attributes, 'error.type')).toBe('model_not_found');
  });
});

describe('OTLP environment parsing', () => {
  it('prefers the traces endpoint as is and appends v1/traces to the base endpoint', () => {
    expect(resolveTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe('http://c:4318/v1/traces');
    expect(resolveTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces');
    expect(resolveTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t/x' })).toBe('http://t/x');
    expect(resolveTracesUrl({})).toBeUndefined();
  });

  it('parses header lists, decoding values and letting the traces-specific list win', () => {
    expect(parseOtlpHeaders('a=1,b=x%20y', 'a=2,broken')).toEqual({ a: '2', b: 'x y' });
  });
});
