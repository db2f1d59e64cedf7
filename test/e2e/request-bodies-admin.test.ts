import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createRequestLogStore } from '../../src/backends/request-log/create-request-log-store.js';

const ADMIN_KEY = 'admin-key-for-request-bodies-test';

interface Detail {
  data: { id: string; requestBody?: { messages?: unknown }; responseBody?: unknown; bodiesExpired?: true };
}

/** The admin API's view of one request, once the batching log has written it. */
async function detail(gateway: TestGateway, id: string): Promise<Detail['data']> {
  await gateway.runtime.requestLog.flush();
  const response = await fetch(`${gateway.url}/admin/requests/${id}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as Detail).data;
}

/** Runs the suite against one storage URL; `cleanup` removes what the URL points at. */
function describeBodiesThroughAdmin(name: string, storage: () => { url: string; cleanup: () => Promise<void> }): void {
  describe(`stored bodies in the admin request detail (${name})`, () => {
    let upstream: FakeUpstream;
    let gateway: TestGateway;
    let client: OpenAI;
    let location: { url: string; cleanup: () => Promise<void> };

    beforeAll(async () => {
      location = storage();
      upstream = await startFakeUpstream('openai');
      gateway = await startTestGateway(
        `
server: { admin_key: ${ADMIN_KEY} }
storage: { url: "${location.url}", store_bodies: true, body_retention_days: 3 }
providers:
  oai: { type: openai-compatible, base_url: "${upstream.url}/v1", api_key: none }
`,
        {},
        { persist: true },
      );
      client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'x', maxRetries: 0 });
    });
    afterAll(async () => {
      await gateway?.close();
      await upstream?.close();
      await location?.cleanup();
    });

    it('shows the request and response bodies while they are kept, then says they expired while the record stays', async () => {
      upstream.enqueue({ kind: 'text', text: 'kept for three days' });
      const { response } = await client.chat.completions
        .create({ model: 'oai/some-model', messages: [{ role: 'user', content: 'remember this prompt' }] })
        .withResponse();
      const id = response.headers.get('x-request-id') ?? '';
      const kept = await detail(gateway, id);
      expect(kept.requestBody?.messages).toEqual([{ role: 'user', content: 'remember this prompt' }]);
      expect(JSON.stringify(kept.responseBody)).toContain('kept for three days');
      expect(kept.bodiesExpired).toBeUndefined();

      // What the body retention job does once the bodies are older than body_retention_days.
      const store = await createRequestLogStore(location.url);
      try {
        expect(await store.pruneBodies(Date.now() + 1)).toBe(1);
      } finally {
        await store.close();
      }
      const expired = await detail(gateway, id);
      expect(expired).toMatchObject({ id, bodiesExpired: true });
      expect(expired.requestBody).toBeUndefined();
      expect(expired.responseBody).toBeUndefined();
      const list = await fetch(`${gateway.url}/admin/requests`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(((await list.json()) as { data: Array<{ id: string }> }).data.map((record) => record.id)).toContain(id);
    });

    it('keeps the folded content of a stream as its response body', async () => {
      upstream.enqueue({ kind: 'text', text: 'streamed and folded' });
      const { response, data: stream } = await client.chat.completions
        .create({ model: 'oai/some-model', stream: true, messages: [{ role: 'user', content: 'stream please' }] })
        .withResponse();
      for await (const chunk of stream) void chunk;
      const stored = await detail(gateway, response.headers.get('x-request-id') ?? '');
      expect(stored.requestBody?.messages).toEqual([{ role: 'user', content: 'stream please' }]);
      expect(JSON.stringify(stored.responseBody)).toContain('streamed and folded');
    });
  });
}

describeBodiesThroughAdmin('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bodies-'));
  return { url: `sqlite://${join(dir, 'log.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping stored bodies on Postgres: DATABASE_URL unset');
  describe.skip('stored bodies in the admin request detail (Postgres; DATABASE_URL unset)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
} else {
  const base = databaseUrl;
  describeBodiesThroughAdmin('Postgres', () => {
    const schema = `e2e_bodies_${process.pid}_${Date.now().toString(36)}`;
    const url = new URL(base);
    url.searchParams.set('schema', schema);
    return {
      url: url.toString(),
      async cleanup() {
        const sql = new pg.Client({ connectionString: base });
        await sql.connect();
        await sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await sql.end();
      },
    };
  });
}
