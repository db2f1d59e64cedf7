import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CONFIG = `
tasks: { classifier: heuristic }
providers:
  cheap: { type: simulated }
  frontier: { type: simulated }
models:
  cheap-pool:
    targets: [{ provider: cheap, model: echo }]
  frontier-pool:
    targets: [{ provider: frontier, model: echo }]
  auto:
    targets: [{ provider: cheap, model: echo }, { provider: frontier, model: echo }]
    tasks:
      summarize: { model: cheap-pool }
      code: { model: frontier-pool }
`;

describe('task routing', () => {
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startTestGateway(CONFIG);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
  });

  const served = async (content: string, options: { metadata?: Record<string, string>; task?: string } = {}) => {
    const { response } = await client.chat.completions
      .create(
        { model: 'auto', messages: [{ role: 'user', content }], ...(options.metadata ? { metadata: options.metadata } : {}) },
        options.task ? { headers: { 'x-switchyard-task': options.task } } : {},
      )
      .withResponse();
    const id = response.headers.get('x-request-id');
    const record = gateway.requestLog.records.find((r) => r.id === id);
    return { provider: response.headers.get('x-switchyard-provider'), record };
  };

  it('sends a class named in metadata.task or x-switchyard-task to the alias its config maps it to, and records the class', async () => {
    const summary = await served('anything', { metadata: { task: 'summarize' } });
    expect(summary.provider).toBe('cheap');
    expect(summary.record?.taskClass).toBe('summarize');
    expect(summary.record?.routing?.[0]?.reason).toMatch(/^task summarize: alias cheap-pool/);
    const code = await served('anything', { task: 'code' });
    expect(code.provider).toBe('frontier');
    expect(code.record?.taskClass).toBe('code');
  });

  it('classifies an unlabelled request with the built-in heuristic', async () => {
    const code = await served('Write a Python function that reverses a linked list.');
    expect(code).toMatchObject({ provider: 'frontier', record: { taskClass: 'code' } });
    const chat = await served('Hello there, how are you?');
    expect(chat).toMatchObject({ provider: 'cheap', record: { taskClass: 'chat' } });
  });

  it('refuses an unknown task class with a 400 in the client format', async () => {
    const error = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }, { headers: { 'x-switchyard-task': 'poetry' } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain(
      'Unknown task class `poetry`; use one of classify, summarize, extract, chat, code, reasoning',
    );
  });
});
