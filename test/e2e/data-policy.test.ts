import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CONFIG = `
data_policy: { trusted_only_tags: [confidential] }
providers:
  public: { type: simulated, redact: [email, card_number] }
  private: { type: simulated, data_policy: trusted }
models:
  chat: { targets: [{ provider: public, model: echo }, { provider: private, model: echo }] }
  public-only: { targets: [{ provider: public, model: echo }] }
`;

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-data-policy', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

describe('data policy and prompt redaction', () => {
  it('sends a request tagged confidential only to a trusted provider, recording the skip', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', metadata: { confidential: 'true' }, messages: [{ role: 'user', content: 'secret plan' }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('private');
    expect(data.choices[0]?.message.content).toBe('secret plan');
    await eventually(() => gateway.requestLog.records.some((r) => r.provider === 'private'));
    const record = gateway.requestLog.records.find((r) => r.provider === 'private');
    expect(record?.routing?.[0]).toMatchObject({ providerId: 'public', action: 'skip', reason: 'data policy: requests tagged confidential go only to trusted providers' });
  });

  it('refuses a confidential request with 403 when no trusted provider serves the model', async () => {
    const error = await client.chat.completions
      .create({ model: 'public-only', metadata: { confidential: 'yes' }, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as Error).message).toContain('No provider of model `public-only` may receive requests tagged confidential');
  });

  it('redacts e-mail addresses and card numbers before the prompt reaches the provider, with a warning', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'public-only', messages: [{ role: 'user', content: 'mail ada@example.com, card 4111 1111 1111 1111 ok' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('mail [REDACTED], card [REDACTED] ok');
    expect(response.headers.get('x-switchyard-warnings')).toBe('prompt_redacted');
  });
});
