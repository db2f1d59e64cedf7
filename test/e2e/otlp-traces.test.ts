import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributeValue, startOtlpTestReceiver, type OtlpSpan, type OtlpTestReceiver } from '../support/otlp-test-receiver.js';
import { startTestGateway } from '../support/start-test-gateway.js';

// OTLP span kinds and status codes (opentelemetry-proto trace.proto).
const SPAN_KIND = { internal: 1, server: 2, client: 3 } as const;
const STATUS_ERROR = 2;

let receiver: OtlpTestReceiver;
let spans: OtlpSpan[];
let requestId: string | null;

beforeAll(async () => {
  receiver = await startOtlpTestReceiver();
  const gateway = await startTestGateway(
    `
defaults:
  retry: { attempts: 1 }
providers:
  sim: { type: simulated }
models:
  resilient:
    targets: [{ provider: sim, model: error }, { provider: sim, model: echo }]
`,
    {},
    { serverEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_SERVICE_NAME: 'switchyard-e2e' } },
  );
  try {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-e2e-otlp-client', maxRetries: 0 });
    const { data, response } = await client.chat.completions
      .create({ model: 'resilient', messages: [{ role: 'user', content: 'trace me' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('trace me');
    requestId = response.headers.get('x-request-id');
  } finally {
    // Closing shuts the tracer down, which exports every queued span before it resolves.
    await gateway.close();
  }
  spans = receiver.spans();
});
afterAll(async () => {
  await receiver.close();
});

const attr = (span: OtlpSpan | undefined, key: string) => attributeValue(span?.attributes ?? [], key);

describe('OTLP traces for a request that fails over', () => {
  it('exports JSON to /v1/traces under the configured service name', () => {
    expect(receiver.contentTypes.every((type) => type.startsWith('application/json'))).toBe(true);
    const resource = receiver.requests[0]?.resourceSpans[0]?.resource.attributes ?? [];
    expect(attributeValue(resource, 'service.name')).toBe('switchyard-e2e');
  });

  it('puts four spans in one trace: server root, route, and two attempts', () => {
    expect(spans).toHaveLength(4);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const roots = spans.filter((span) => span.parentSpanId === undefined || span.parentSpanId === '');
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    expect(root).toMatchObject({ name: 'POST /v1/chat/completions', kind: SPAN_KIND.server });
    expect(attr(root, 'http.response.status_code')).toBe(200);
    expect(attr(root, 'switchyard.request.id')).toBe(requestId);
    expect(attr(root, 'gen_ai.request.model')).toBe('resilient');
    expect(attr(root, 'gen_ai.response.model')).toBe('echo');
    expect(root.status?.code).not.toBe(STATUS_ERROR);

    const route = spans.find((span) => span.name === 'route');
    expect(route).toMatchObject({ kind: SPAN_KIND.internal, parentSpanId: root.spanId });
    expect(attr(route, 'switchyard.attempt.count')).toBe(2);
  });

  it('gives each attempt a client span under the route with GenAI attributes, in order', () => {
    const route = spans.find((span) => span.name === 'route');
    const attempts = spans
      .filter((span) => span.kind === SPAN_KIND.client)
      .sort((a, b) => Number(attr(a, 'switchyard.attempt.index')) - Number(attr(b, 'switchyard.attempt.index')));
    expect(attempts.map((span) => span.name)).toEqual(['chat error', 'chat echo']);
    for (const span of attempts) {
      expect(span.parentSpanId).toBe(route?.spanId);
      expect(attr(span, 'gen_ai.operation.name')).toBe('chat');
      expect(attr(span, 'switchyard.provider.id')).toBe('sim');
      expect(attr(span, 'gen_ai.provider.name')).toEqual(expect.any(String));
    }
    expect(attempts.map((span) => attr(span, 'gen_ai.request.model'))).toEqual(['error', 'echo']);
  });

  it('marks the failed attempt with error.type and an error status, and the served one with usage and finish', () => {
    const [failed, served] = ['chat error', 'chat echo'].map((name) => spans.find((span) => span.name === name));
    expect(attr(failed, 'error.type')).toEqual(expect.stringMatching(/^upstream_/));
    expect(failed?.status?.code).toBe(STATUS_ERROR);
    expect(attr(served, 'error.type')).toBeUndefined();
    expect(served?.status?.code).not.toBe(STATUS_ERROR);
    expect(attr(served, 'gen_ai.response.model')).toBe('echo');
    expect(attr(served, 'gen_ai.response.finish_reasons')).toEqual(['stop']);
    expect(Number(attr(served, 'gen_ai.usage.output_tokens'))).toBeGreaterThan(0);
  });
});
