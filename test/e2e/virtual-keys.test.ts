import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'admin-key-virtual-keys-e2e';
let dir: string;
let gateway: TestGateway;

const config = (dbPath: string): string => `
server: { admin_key: ${ADMIN} }
auth: { require_keys: true }
storage: { url: "sqlite://${dbPath}" }
providers:
  sim: { type: simulated }
models:
  main: { targets: [{ provider: sim, model: echo }] }
  other: { targets: [{ provider: sim, model: lorem }] }
`;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function createKey(spec: Record<string, unknown>): Promise<{ id: string; secret: string; prefix: string }> {
  const { status, json } = await admin('POST', '/keys', spec);
  expect(status).toBe(201);
  const data = json.data as { id: string; prefix: string };
  return { id: data.id, prefix: data.prefix, secret: json.secret as string };
}

const openai = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
const ask = (client: OpenAI, model = 'main') => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
  gateway = await startTestGateway(config(join(dir, 'gateway.db')));
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('virtual keys with auth.require_keys', () => {
  it('issues sk-sy- keys once and never shows the secret or its hash again', async () => {
    const key = await createKey({ name: 'shown-once', models: ['main'] });
    expect(key.secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    const listed = JSON.stringify((await admin('GET', '/keys')).json);
    const shown = JSON.stringify((await admin('GET', `/keys/${key.id}`)).json);
    for (const text of [listed, shown]) {
      expect(text).toContain(key.prefix);
      expect(text).not.toContain(key.secret);
      expect(text).not.toContain('"hash"');
    }
  });

  it('accepts the key from the OpenAI SDK (Bearer) and records its id and tags', async () => {
    const key = await createKey({ name: 'tagged', models: ['main'], tags: { project: 'apollo' } });
    const answer = await ask(openai(key.secret));
    expect(answer.choices[0]?.message.content).toBe('hi');
    await eventually(() => gateway.requestLog.records.some((r) => r.keyId === key.id));
    const record = gateway.requestLog.records.find((r) => r.keyId === key.id);
    expect(record?.metadata).toMatchObject({ project: 'apollo' });
  });

  it('answers 401 in OpenAI format when the key is missing or wrong', async () => {
    const wrongClient = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-sy-not-a-real-key', maxRetries: 0 });
    const wrong = await ask(wrongClient).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((wrong as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('authentication_failed');
    const missing = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/^Missing virtual key/);
    const models = await fetch(`${gateway.url}/v1/models`);
    expect(models.status).toBe(401);
  });

  it('answers 403 for a model outside the key\u2019s globs', async () => {
    const key = await createKey({ name: 'main-only', models: ['ma*'] });
    const denied = await ask(openai(key.secret), 'other').catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(String((denied as Error).message)).toContain('may not use model `other`');
  });

  it('lists only the models the key may call, to the OpenAI, Anthropic and Gemini SDKs', async () => {
    const key = await createKey({ name: 'listing', models: ['ma*'] });
    const listed = [];
    for await (const model of openai(key.secret).models.list()) listed.push(model.id);
    expect(listed).toEqual(['main']);
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: key.secret, maxRetries: 0 });
    expect((await anthropic.models.list()).data.map((model) => model.id)).toEqual(['main']);
    const ai = new GoogleGenAI({ apiKey: key.secret, httpOptions: { baseUrl: gateway.url } });
    const names = [];
    for await (const model of await ai.models.list()) names.push(model.name);
    expect(names).toEqual(['models/main']);
    const open = await createKey({ name: 'every-model' });
    const all = [];
    for await (const model of openai(open.secret).models.list()) all.push(model.id);
    expect(all).toEqual(expect.arrayContaining(['main', 'other', 'sim/echo']));
  });

  it('accepts the Anthropic SDK (x-api-key) and refuses a wrong key in Anthropic format', async () => {
    const key = await createKey({ name: 'anthropic' });
    const client = new Anthropic({ baseURL: gateway.url, apiKey: key.secret, maxRetries: 0 });
    const message = await client.messages.create({ model: 'main', max_tokens: 20, messages: [{ role: 'user', content: 'hello' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'hello' });
    const bad = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-sy-wrong', maxRetries: 0 });
    const error = await bad.messages.create({ model: 'main', max_tokens: 20, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('accepts the Gemini SDK (x-goog-api-key) and ?key=, and refuses a wrong key with UNAUTHENTICATED', async () => {
    const key = await createKey({ name: 'gemini' });
    const ai = new GoogleGenAI({ apiKey: key.secret, httpOptions: { baseUrl: gateway.url } });
    const answer = await ai.models.generateContent({ model: 'main', contents: 'gemini says' });
    expect(answer.text).toBe('gemini says');
    const viaQuery = await fetch(`${gateway.url}/v1beta/models/main:generateContent?key=${key.secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'q' }] }] }),
    });
    expect(viaQuery.status).toBe(200);
    const bad = new GoogleGenAI({ apiKey: 'sk-sy-wrong', httpOptions: { baseUrl: gateway.url, retryOptions: { attempts: 1 } } });
    const error = await bad.models.generateContent({ model: 'main', contents: 'x' }).catch((e: unknown) => e);
    expect(String(error)).toContain('UNAUTHENTICATED');
  });

  it('stops a revoked key at once and a rotated key\u2019s old secret, keeping the id', async () => {
    const revoked = await createKey({ name: 'to-revoke' });
    await ask(openai(revoked.secret));
    expect((await admin('POST', `/keys/${revoked.id}/revoke`)).status).toBe(200);
    await expect(ask(openai(revoked.secret))).rejects.toThrow(/was revoked/);

    const rotating = await createKey({ name: 'to-rotate' });
    const { json } = await admin('POST', `/keys/${rotating.prefix}/rotate`);
    const fresh = json.secret as string;
    expect((json.data as { id: string }).id).toBe(rotating.id);
    await expect(ask(openai(rotating.secret))).rejects.toThrow(/Invalid virtual key/);
    expect((await ask(openai(fresh))).choices[0]?.message.content).toBe('hi');
  });

  it('refuses an expired key', async () => {
    const key = await createKey({ name: 'expired', expires_at: '2020-01-01T00:00:00Z' });
    await expect(ask(openai(key.secret))).rejects.toThrow(/expired at 2020-01-01/);
  });

  it('audits key changes with actor and change, readable through /admin/audit', async () => {
    const key = await createKey({ name: 'audited', budget: { daily_usd: 1 } });
    await admin('PATCH', `/keys/${key.id}`, { budget: { daily_usd: 2 } });
    await admin('POST', `/keys/${key.id}/revoke`);
    const { json } = await admin('GET', `/audit?target=${key.id}`);
    const entries = json.data as Array<{ action: string; actor: string; details: Record<string, unknown> }>;
    expect(entries.map((e) => e.action)).toEqual(['key.revoke', 'key.budget_change', 'key.create']);
    expect(entries.every((e) => e.actor === 'admin-api')).toBe(true);
    expect(entries[1]?.details).toMatchObject({ budget: { dailyUsd: 2 } });
    expect(JSON.stringify(entries)).not.toContain(key.secret);
  });

  it('rejects a malformed key spec with the field at fault, and admin calls without the admin key', async () => {
    const bad = await admin('POST', '/keys', { name: 'x', rpm: -1 });
    expect(bad.status).toBe(400);
    expect((bad.json.error as { message: string }).message).toMatch(/^rpm:/);
    const anonymous = await fetch(`${gateway.url}/admin/keys`, { headers: { authorization: 'Bearer wrong' } });
    expect(anonymous.status).toBe(401);
  });
});
