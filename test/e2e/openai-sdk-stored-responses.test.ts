import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

type Json = Record<string, unknown>;
const ADMIN = 'stored-responses-admin';

function config(fakeUrl: string, storage: string, requireKeys: boolean): string {
  return `
server: { admin_key: ${ADMIN} }
auth: { require_keys: ${requireKeys} }
${storage === '' ? '' : `storage: { url: "${storage}" }`}
defaults: { retry: { attempts: 1 } }
providers:
  up: { type: openai, base_url: "${fakeUrl}/v1", api_key: sk-upstream }
models:
  chat: { targets: [{ provider: up, model: gpt-4o }] }
`;
}

const messagesSent = (fake: FakeUpstream): Json[] => (fake.requests.at(-1)?.body as { messages: Json[] }).messages;

/** The Responses API's stored responses through the official SDK, against one gateway (one storage backend). */
function describeStoredResponses(name: string, storage: () => string): void {
  describe(`stored responses (${name})`, () => {
    let fake: FakeUpstream;
    let gateway: TestGateway;
    let client: OpenAI;

    beforeAll(async () => {
      fake = await startFakeUpstream('openai');
      gateway = await startTestGateway(config(fake.url, storage(), false), {}, { persist: storage() !== '' });
      client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    });
    afterAll(async () => {
      await gateway.close();
      await fake.close();
    });

    it('stores a response by default: retrieve returns it, and previous_response_id continues the conversation', async () => {
      fake.enqueue({ kind: 'text', text: 'Paris.' });
      const first = await client.responses.create({ model: 'chat', instructions: 'Answer in one word.', input: 'Capital of France?' });
      expect(first).toMatchObject({ store: true, background: false, previous_response_id: null });
      const retrieved = await client.responses.retrieve(first.id);
      expect(retrieved).toMatchObject({ id: first.id, status: 'completed', output_text: 'Paris.', store: true });

      fake.enqueue({ kind: 'text', text: 'Berlin.' });
      const second = await client.responses.create({ model: 'chat', previous_response_id: first.id, input: 'And of Germany?' });
      expect(second.previous_response_id).toBe(first.id);
      expect(second.output_text).toBe('Berlin.');
      // The earlier turn is prepended; its instructions are not carried over (as OpenAI does).
      expect(messagesSent(fake)).toEqual([
        { role: 'user', content: 'Capital of France?' },
        { role: 'assistant', content: 'Paris.' },
        { role: 'user', content: 'And of Germany?' },
      ]);

      const items: Json[] = [];
      for await (const item of client.responses.inputItems.list(second.id, { limit: 1 })) items.push(item as unknown as Json);
      expect(items.map((item) => item.type)).toEqual(['message', 'message', 'message']);
      expect(items.map((item) => JSON.stringify(item.content))).toEqual([
        expect.stringContaining('And of Germany?'),
        expect.stringContaining('Paris.'),
        expect.stringContaining('Capital of France?'),
      ]);
      const ascending = await client.responses.inputItems.list(second.id, { order: 'asc' });
      expect(JSON.stringify(ascending.data[0])).toContain('Capital of France?');
    });

    it('stores a streamed response too, and deletes it', async () => {
      fake.enqueue({ kind: 'text', text: ['Hel', 'lo'] });
      const stream = client.responses.stream({ model: 'chat', input: 'Say hello' });
      const final = await stream.finalResponse();
      const retrieved = await client.responses.retrieve(final.id);
      expect(retrieved.output_text).toBe('Hello');
      await client.responses.delete(final.id);
      await expect(client.responses.retrieve(final.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      await expect(client.responses.delete(final.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('keeps nothing with store: false, and refuses to continue an unknown response', async () => {
      fake.enqueue({ kind: 'text', text: 'x' });
      const unstored = await client.responses.create({ model: 'chat', input: 'x', store: false });
      expect(unstored).toMatchObject({ store: false });
      await expect(client.responses.retrieve(unstored.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
      const error = await client.responses.create({ model: 'chat', input: 'x', previous_response_id: unstored.id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('previous_response_id');
      expect(String((error as Error).message)).toContain(`Previous response with id '${unstored.id}' not found.`);
    });

    it('runs a background response: queued at once, completed when polled', async () => {
      fake.enqueue({ kind: 'text', text: 'Done later.', ttftMs: 150 });
      const queued = await client.responses.create({ model: 'chat', input: 'Take your time', background: true });
      expect(queued).toMatchObject({ status: 'queued', background: true, output: [] });
      let polled = await client.responses.retrieve(queued.id);
      for (let i = 0; i < 100 && (polled.status === 'queued' || polled.status === 'in_progress'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        polled = await client.responses.retrieve(queued.id);
      }
      expect(polled).toMatchObject({ status: 'completed', output_text: 'Done later.', background: true });
    });

    it('cancels a background response: the upstream call stops and the response stays cancelled', async () => {
      fake.enqueue({ kind: 'text', text: 'never', ttftMs: 5_000 });
      const queued = await client.responses.create({ model: 'chat', input: 'Slow', background: true });
      await eventually(() => fake.requests.length > 0 && JSON.stringify(fake.requests.at(-1)?.body).includes('Slow'));
      const upstreamCall = fake.requests.length - 1;
      // While the upstream generates, pollers see it running.
      expect((await client.responses.retrieve(queued.id)).status).toBe('in_progress');
      const cancelled = await client.responses.cancel(queued.id);
      expect(cancelled.status).toBe('cancelled');
      await fake.waitForClose(upstreamCall, 2_000);
      expect((await client.responses.retrieve(queued.id)).status).toBe('cancelled');
      // Cancelling again answers the same; a foreground response cannot be cancelled.
      expect((await client.responses.cancel(queued.id)).status).toBe('cancelled');
      fake.enqueue({ kind: 'text', text: 'y' });
      const foreground = await client.responses.create({ model: 'chat', input: 'y' });
      await expect(client.responses.cancel(foreground.id)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-stored-responses-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoredResponses('in memory, no storage configured', () => '');
describeStoredResponses('SQLite', () => `sqlite://${join(dir, 'gateway.db')}`);

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping stored responses on Postgres: DATABASE_URL unset');
  describe.skip('stored responses (Postgres, needs DATABASE_URL)', () => {
    it('needs DATABASE_URL', () => undefined);
  });
} else {
  const schema = `e2e_stored_responses_${process.pid}_${Date.now()}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('schema', schema);
  afterAll(async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  describeStoredResponses('Postgres', () => url.toString());
}

describe('stored responses are private to the virtual key that created them', () => {
  let fake: FakeUpstream;
  let gateway: TestGateway;
  beforeAll(async () => {
    fake = await startFakeUpstream('openai');
    gateway = await startTestGateway(config(fake.url, `sqlite://${join(dir, 'keys.db')}`, true));
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  async function createKey(name: string): Promise<string> {
    const response = await fetch(`${gateway.url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    return ((await response.json()) as { secret: string }).secret;
  }

  it('another key gets 404 on retrieve, input items, delete, cancel and previous_response_id', async () => {
    const alice = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: await createKey('alice'), maxRetries: 0 });
    const bob = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: await createKey('bob'), maxRetries: 0 });
    fake.enqueue({ kind: 'text', text: 'secret plan' });
    const mine = await alice.responses.create({ model: 'chat', input: 'private' });
    await expect(bob.responses.retrieve(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.inputItems.list(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.delete(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.cancel(mine.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.create({ model: 'chat', input: 'x', previous_response_id: mine.id })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect((await alice.responses.retrieve(mine.id)).output_text).toBe('secret plan');
  });
});

describe('a background response running when the gateway shuts down', () => {
  it('ends as failed with shutting_down in the store, read back by the restarted gateway', async () => {
    const fake = await startFakeUpstream('openai');
    const storage = `sqlite://${join(dir, 'shutdown.db')}`;
    try {
      const first = await startTestGateway(config(fake.url, storage, false), {}, { persist: true });
      fake.enqueue({ kind: 'text', text: 'never', ttftMs: 10_000 });
      const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'client', maxRetries: 0 });
      const queued = await client.responses.create({ model: 'chat', input: 'Long job', background: true });
      await eventually(() => fake.requests.length > 0);
      await first.close();

      const second = await startTestGateway(config(fake.url, storage, false), {}, { persist: true });
      try {
        const again = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'client', maxRetries: 0 });
        expect(await again.responses.retrieve(queued.id)).toMatchObject({
          status: 'failed',
          error: { code: 'shutting_down', message: expect.stringContaining('create it again') },
        });
      } finally {
        await second.close();
      }
    } finally {
      await fake.close();
    }
  });
});
