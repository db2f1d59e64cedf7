import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let upstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream('anthropic');
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
providers:
  claude:
    type: anthropic
    base_url: ${upstream.url}
    api_key: sk-ant-overrides-0001
    models:
      claude-sonnet-4-5: { max_output_tokens: 1234 }
      claude-next: { max_output_tokens: 2222, capabilities: { reasoning: false } }
`);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function sentBody(model: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  upstream.enqueue({ kind: 'text', text: 'ok' });
  await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });
  return upstream.requests.at(-1)?.body as Record<string, unknown>;
}

describe("the config's catalogue overrides reach the Anthropic adapter", () => {
  it('sends the overridden output limit as max_tokens for a catalogued model', async () => {
    expect((await sentBody('claude/claude-sonnet-4-5')).max_tokens).toBe(1234);
  });

  it('sends the limit the config gives a model the catalogue does not know', async () => {
    expect((await sentBody('claude/claude-next')).max_tokens).toBe(2222);
  });

  it('drops thinking for a model the config says cannot reason', async () => {
    const body = await sentBody('claude/claude-next', { reasoning_effort: 'low' });
    expect(body.thinking).toBeUndefined();
  });
});
