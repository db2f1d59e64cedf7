import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { createVirtualKey } from '../support/create-virtual-key.js';

// Feedback teaches feedback-driven routing for everyone: with virtual keys, a client may score only the requests it
// made with its own key, so one key cannot steer the others' routing with scores on their requests.

const ADMIN = 'admin-key-feedback-keys';
let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-feedback-keys-'));
  gateway = await startTestGateway(`server: { admin_key: ${ADMIN} }\nauth: { require_keys: true }\nstorage: { url: "sqlite://${join(dir, 'log.db')}" }\nproviders:\n  sim: { type: simulated }\n`, {}, { persist: true });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const createKey = async (name: string): Promise<string> => (await createVirtualKey(gateway.url, ADMIN, { name })).secret;

async function feedback(secret: string, requestId: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/feedback`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ request_id: requestId, score: 0 }),
  });
  return response.status;
}

describe('feedback with virtual keys', () => {
  it('scores a request of the same key, and answers 404 for another key\u2019s request', async () => {
    const alice = await createKey('alice');
    const mallory = await createKey('mallory');
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: alice, maxRetries: 0 });
    const { response } = await client.chat.completions.create({ model: 'sim/echo', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(await feedback(mallory, requestId)).toBe(404);
    expect(await feedback(alice, requestId)).toBe(200);
  });
});
