import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load-config.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { attributeValue, startOtlpTestReceiver, type OtlpSpan, type OtlpTestReceiver } from '../support/otlp-test-receiver.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startTestGateway } from '../support/start-test-gateway.js';

const SPAN_KIND_CLIENT = 3;

let receiver: OtlpTestReceiver;
let openaiUpstream: FakeUpstream;
let anthropicUpstream: FakeUpstream;
let spans: OtlpSpan[];

/** One provider id, `up`, whose type (and so its GenAI provider name) the reload changes. */
const config = (type: 'openai' | 'anthropic', url: string, key: string): string => `
defaults:
  retry: { attempts: 1 }
providers:
  up: { type: ${type}, base_url: "${url}", api_key: ${key} }
models:
  chat: { targets: [{ provider: up, model: some-model }] }
`;

beforeAll(async () => {
  receiver = await startOtlpTestReceiver();
  openaiUpstream = await startFakeUpstream('openai');
  anthropicUpstream = await startFakeUpstream('anthropic');
  const gateway = await startTestGateway(config('openai', `${openaiUpstream.url}/v1`, E2E_UPSTREAM_KEYS.openai), {}, {
    serverEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
  });
  try {
    const next = parseConfigText(config('anthropic', anthropicUpstream.url, E2E_UPSTREAM_KEYS.anthropic), 'reloaded.yaml', {});
    if (!next.config) throw new Error(`bad reload config: ${JSON.stringify(next.issues)}`);
    await gateway.reload(next.config);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-e2e-otlp-reload-client', maxRetries: 0 });
    await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'after reload' }] });
  } finally {
    await gateway.close();
  }
  spans = receiver.spans();
});
afterAll(async () => {
  await receiver.close();
  await openaiUpstream.close();
  await anthropicUpstream.close();
});

describe('OTLP traces after a config reload', () => {
  it('name the provider by the reloaded config, not the one the gateway started with', () => {
    // The reload warms the new origin with a HEAD; the call itself is the only POST.
    const posts = (upstream: FakeUpstream) => upstream.requests.filter((request) => request.method === 'POST');
    expect(posts(anthropicUpstream)).toHaveLength(1);
    expect(posts(openaiUpstream)).toHaveLength(0);
    const attempt = spans.find((span) => span.kind === SPAN_KIND_CLIENT);
    const root = spans.find((span) => span.parentSpanId === undefined || span.parentSpanId === '');
    for (const span of [attempt, root]) {
      expect(attributeValue(span?.attributes ?? [], 'switchyard.provider.id')).toBe('up');
      expect(attributeValue(span?.attributes ?? [], 'gen_ai.provider.name')).toBe('anthropic');
    }
  });
});
