import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/start-cli.js';
import { startOutageProxy } from '../support/tcp-outage-proxy.js';
import { untilPasses } from '../support/until-passes.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.log('key store outage test skipped: DATABASE_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Postgres)');

const ADMIN_KEY = 'key-store-outage-admin';
/** A key-shaped secret no store holds (listed in test/support/secret-markers.ts). */
const UNKNOWN_KEY = 'sk-sy-unknown-during-outage';
const schema = `sy_keyoutage_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

let dir: string;
let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
let gateway: { child: ChildProcess; url: string };
/** Everything the gateway printed since it started listening. */
let output = '';

function storageUrl(port: string): string {
  const url = new URL(databaseUrl ?? '');
  url.port = port;
  url.searchParams.set('schema', schema);
  return url.toString();
}

function config(storage: string): string {
  return [
    'auth: { require_keys: true }',
    `server: { admin_key: ${ADMIN_KEY} }`,
    `storage: { url: "${storage}" }`,
    'providers:',
    '  sim: { type: simulated }',
    'models:',
    '  main: { targets: [{ provider: sim, model: echo }] }',
    '',
  ].join('\n');
}

/** One chat completion through the OpenAI SDK: 'ok' or the HTTP status it was refused with. */
async function ask(apiKey: string): Promise<string> {
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'during the outage' }] });
    return 'ok';
  } catch (error) {
    return String((error as { status?: number }).status ?? error);
  }
}

async function createKey(name: string): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { data: { id: string }; secret: string };
  return { id: body.data.id, secret: body.secret };
}

beforeAll(async () => {
  if (!databaseUrl) return;
  const direct = new URL(databaseUrl);
  proxy = await startOutageProxy(direct);
  dir = mkdtempSync(join(tmpdir(), 'switchyard-key-outage-'));
  writeFileSync(join(dir, 'gateway.yaml'), config(storageUrl(String(proxy.port))));
  // The CLI that revokes during the outage reaches Postgres directly, as another replica or an operator would.
  writeFileSync(join(dir, 'direct.yaml'), config(storageUrl(direct.port || '5432')));
  gateway = await startCli(join(dir, 'gateway.yaml'), [], { env: { ...process.env, LOG_LEVEL: 'warn', REDIS_URL: undefined, DATABASE_URL: undefined } });
  gateway.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  gateway.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
}, 60_000);

afterAll(async () => {
  if (!databaseUrl) return;
  if (gateway && gateway.child.exitCode === null) {
    const exited = once(gateway.child, 'exit');
    gateway.child.kill('SIGTERM');
    await exited;
  }
  proxy.setUp(false);
  await proxy.close();
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!databaseUrl)('the Postgres key store going away while the gateway serves', () => {
  it('keeps loaded keys working, refuses unknown ones with 401 in the client\u2019s format, warns, and applies a revocation made meanwhile once it returns', async () => {
    const kept = await createKey('kept-through-outage');
    const revoked = await createKey('revoked-during-outage');
    expect(await ask(kept.secret)).toBe('ok');
    expect(await ask(revoked.secret)).toBe('ok');

    // Traffic runs on while the connection is cut under it.
    let stopLoad = false;
    const load = (async () => {
      const statuses: string[] = [];
      while (!stopLoad) statuses.push(await ask(kept.secret));
      return statuses;
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.setUp(false);
    await untilPasses(() => expect(output).toContain('key store unreachable; serving the keys already loaded'), 5000);

    const revokedWhileAway = await runCli(['keys', 'revoke', revoked.id, '--config', join(dir, 'direct.yaml')]);
    expect(revokedWhileAway.code).toBe(0);
    // Polls keep failing, so the revocation cannot be seen yet: the key held in memory still answers.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await ask(revoked.secret)).toBe('ok');
    expect(await ask(UNKNOWN_KEY)).toBe('401');
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: UNKNOWN_KEY, maxRetries: 0 });
    const refused = await openai.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((refused as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('authentication_failed');
    const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: UNKNOWN_KEY, maxRetries: 0 });
    const refusedAnthropic = await anthropic.messages.create({ model: 'main', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(refusedAnthropic).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refusedAnthropic as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const failedPolls = output.split('key store unreachable; serving the keys already loaded').length - 1;
    expect(failedPolls).toBeGreaterThan(1);

    stopLoad = true;
    const statuses = await load;
    expect(statuses.length).toBeGreaterThan(5);
    expect(statuses.every((status) => status === 'ok')).toBe(true);
    expect(gateway.child.exitCode).toBeNull();

    proxy.setUp(true);
    const back = Date.now();
    await untilPasses(async () => expect(await ask(revoked.secret)).toBe('401'), 10_000);
    console.log(`revocation made during the key store outage applied ${Date.now() - back} ms after it returned`);
    expect(await ask(kept.secret)).toBe('ok');
    // Recovered: the store takes writes again, and a key created now works at once.
    const fresh = await createKey('after-outage');
    expect(await ask(fresh.secret)).toBe('ok');
    expect(gateway.child.exitCode).toBeNull();
  }, 60_000);
});
