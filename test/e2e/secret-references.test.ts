import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../fakes/index.js';
import type { FakeUpstream } from '../fakes/fake-types.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../fakes/start-fake-secrets-manager.js';
import { startFakeVault, type FakeVault } from '../fakes/start-fake-vault.js';
import { SECRET_STORE_KEYS as KEYS } from '../support/secret-markers.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'admin-key-secrets-e2e';
const VAULT_TOKEN = 'hvs.fake-vault-token-e2e';
let dir: string;
let vault: FakeVault;
let aws: FakeSecretsManager;
let upstream: FakeUpstream;
/** The key the fake provider currently accepts (a provider-side rotation). */
let accepted = new Set<string>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'));
  vault = await startFakeVault({ token: VAULT_TOKEN, appRole: { roleId: 'role-e2e', secretId: 'secret-id-e2e' }, namespace: 'team-llm' });
  aws = await startFakeSecretsManager();
  upstream = await startFakeUpstream('openai', { acceptKey: (key) => key !== undefined && accepted.has(key) });
  // The official AWS client reads its credentials, region and endpoint override from the standard variables.
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDFAKEE2E',
    AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key-e2e',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
  });
});
afterAll(async () => {
  await Promise.all([vault.close(), aws.close(), upstream.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function gatewayConfig(apiKey: string): string {
  return `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${join(dir, `${apiKey.split(':')[0]}.db`)}" }
providers:
  oai: { type: openai, base_url: "${upstream.url}/v1", api_key: "${apiKey}" }
models:
  main: { targets: [{ provider: oai, model: gpt-4o-mini }] }
`;
}

const ask = (gateway: TestGateway) =>
  new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key-unused', maxRetries: 0, defaultHeaders: { cookie: 'session=client-cookie' } }).chat.completions.create({
    model: 'main',
    messages: [{ role: 'user', content: 'who pays?' }],
  });

function keysSeenUpstream(since: number): string[] {
  return upstream.requests.slice(since).map((r) => String(r.headers.authorization).replace('Bearer ', ''));
}

async function auditActions(gateway: TestGateway): Promise<string[]> {
  const response = await fetch(`${gateway.url}/admin/audit`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await response.json()) as { data: Array<{ action: string }> }).data.map((entry) => entry.action);
}

describe('provider keys from secret references', () => {
  it('reads a Vault KV v2 secret with AppRole and namespace, and follows a rotation mid-traffic with one refresh', async () => {
    vault.put('secret/llm/openai', { api_key: KEYS.vaultFirst });
    accepted = new Set([KEYS.vaultFirst]);
    const gateway = await startTestGateway(gatewayConfig('vault://secret/llm/openai#api_key'), {}, {
      serverEnv: { VAULT_ADDR: vault.url, VAULT_ROLE_ID: 'role-e2e', VAULT_SECRET_ID: 'secret-id-e2e', VAULT_NAMESPACE: 'team-llm' },
    });
    try {
      const before = upstream.requests.length;
      await ask(gateway);
      expect(keysSeenUpstream(before)).toEqual([KEYS.vaultFirst]);
      // The client's own credentials and cookies never reach the provider.
      const upstreamHeaders = JSON.stringify(upstream.requests.slice(before).map((r) => r.headers));
      expect(upstreamHeaders).not.toContain('client-key-unused');
      expect(upstreamHeaders).not.toContain('client-cookie');
      expect(vault.reads.at(-1)).toEqual({ path: 'secret/llm/openai', token: VAULT_TOKEN, namespace: 'team-llm' });

      // Rotation: Vault holds the new key and the provider stops accepting the old one, while requests keep coming.
      vault.put('secret/llm/openai', { api_key: KEYS.vaultRotated });
      accepted = new Set([KEYS.vaultRotated]);
      const readsBefore = vault.reads.length;
      const answers = await Promise.all(Array.from({ length: 8 }, () => ask(gateway)));
      expect(answers.every((a) => a.choices[0]?.message.content)).toBe(true);
      // Concurrent 401s share one read of the rotated secret.
      expect(vault.reads.length - readsBefore).toBe(1);
      expect(await auditActions(gateway)).toContain('secret.refresh');
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_secret_rotations_total\{provider="oai"\} 1/);
    } finally {
      await gateway.close();
    }
  });

  it('keeps the last good value when Vault fails, with a metric, a log line and an audit entry', async () => {
    vault.put('secret/llm/stable', { api_key: KEYS.vaultRotated });
    accepted = new Set([KEYS.vaultRotated]);
    const gateway = await startTestGateway(gatewayConfig('vault://secret/llm/stable#api_key'), {}, {
      serverEnv: { VAULT_ADDR: vault.url, VAULT_TOKEN, VAULT_NAMESPACE: 'team-llm' },
    });
    try {
      await ask(gateway);
      vault.setDown(true);
      // The provider refuses the key now, so the gateway tries one refresh; Vault is down, the old value stays.
      accepted = new Set();
      const refused = await ask(gateway).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.APIError);
      vault.setDown(false);
      accepted = new Set([KEYS.vaultRotated]);
      expect((await ask(gateway)).choices[0]?.message.content).toBeTruthy();
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_secret_refresh_failures_total\{provider="oai"\} 1/);
      expect(gateway.logLines.join('')).toContain('provider secret refresh failed; keeping the last good value');
      expect(await auditActions(gateway)).toContain('secret.refresh_failed');
    } finally {
      await gateway.close();
    }
  });

  it('reads aws-sm:// through the official AWS client (signed GetSecretValue) and follows a rotation', async () => {
    aws.put('prod/llm', JSON.stringify({ openai: KEYS.awsFirst }));
    accepted = new Set([KEYS.awsFirst]);
    const gateway = await startTestGateway(gatewayConfig('aws-sm://prod/llm#openai'));
    try {
      const before = upstream.requests.length;
      await ask(gateway);
      expect(keysSeenUpstream(before)).toEqual([KEYS.awsFirst]);
      expect(aws.calls.at(-1)).toEqual({ secretId: 'prod/llm', signed: true });
      aws.put('prod/llm', JSON.stringify({ openai: KEYS.awsRotated }));
      accepted = new Set([KEYS.awsRotated]);
      const answers = await Promise.all(Array.from({ length: 4 }, () => ask(gateway)));
      expect(answers).toHaveLength(4);
      expect(keysSeenUpstream(before).at(-1)).toBe(KEYS.awsRotated);
    } finally {
      await gateway.close();
    }
  });

  it('reads file:// and picks up a rewritten file after the provider refuses the old key', async () => {
    const path = join(dir, 'openai-key');
    writeFileSync(path, `${KEYS.fileFirst}\n`);
    accepted = new Set([KEYS.fileFirst]);
    const gateway = await startTestGateway(gatewayConfig(`file://${path}`));
    try {
      await ask(gateway);
      writeFileSync(path, `${KEYS.fileRotated}\n`);
      accepted = new Set([KEYS.fileRotated]);
      const before = upstream.requests.length;
      await ask(gateway);
      expect(keysSeenUpstream(before)).toEqual([KEYS.fileFirst, KEYS.fileRotated]);
    } finally {
      await gateway.close();
    }
  });
});
