import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { ODD_SHAPED_SECRETS } from '../support/secret-markers.js';
import { findSecretMarkers } from '../../src/observability/find-secrets.js';

const { apiKey: ODD_KEY, header: ODD_HEADER } = ODD_SHAPED_SECRETS;
const ADMIN_KEY = 'admin-key-for-echoed-secrets-test';

let upstream: FakeUpstream;
let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-echoed-secrets-'));
  upstream = await startFakeUpstream('openai');
  gateway = await startTestGateway(
    `
server: { admin_key: ${ADMIN_KEY} }
storage: { url: "sqlite://${join(dir, 'log.db')}" }
defaults:
  retry: { attempts: 1 }
providers:
  odd:
    type: openai-compatible
    base_url: ${upstream.url}/v1
    api_key: "${ODD_KEY}"
    headers: { x-tenant-token: "${ODD_HEADER}" }
`,
    {},
    { persist: true },
  );
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

const secrets = [ODD_KEY, ODD_HEADER];

async function chat(extra: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'odd/some-model', messages: [{ role: 'user', content: 'hi' }], ...extra }),
  });
  return `${response.status} ${await response.text()}`;
}

function echoingError(status: number): { kind: 'error'; status: number; body: unknown } {
  return { kind: 'error', status, body: { error: { message: `Key ${ODD_KEY} with tenant ${ODD_HEADER} is not valid here`, type: 'invalid_request_error' } } };
}

describe('configured secrets are scrubbed literally, whatever their shape', () => {
  it('keeps an upstream-echoed key of an unusual shape out of the answer, logs, stored record and admin API', async () => {
    upstream.enqueue(echoingError(400));
    const badRequest = await chat({ metadata: { pasted: ODD_KEY } });
    upstream.enqueue(echoingError(401));
    const unauthorised = await chat();
    upstream.enqueue({ kind: 'text', text: 'fine' });
    const served = await chat({ metadata: { pasted: `prefix ${ODD_HEADER}` } });
    expect(badRequest).toMatch(/^400 /);
    expect(unauthorised).toMatch(/^50\d /);
    expect(served).toMatch(/^200 /);
    expect(badRequest).toContain('[redacted]');
    expect(findSecretMarkers([badRequest, unauthorised, served], secrets)).toEqual([]);

    await gateway.runtime.requestLog.flush();
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const list = await (await fetch(`${gateway.url}/admin/requests?limit=10`, { headers: admin })).text();
    await eventually(() => (list.match(/"id"/g) ?? []).length >= 3);
    const rows = JSON.parse(list) as { data?: Array<{ id: string }>; requests?: Array<{ id: string }> };
    const ids = (rows.data ?? rows.requests ?? []).map((row) => row.id);
    const details = await Promise.all(ids.map(async (id) => (await fetch(`${gateway.url}/admin/requests/${id}`, { headers: admin })).text()));
    expect(list).toContain('[redacted]');
    expect(findSecretMarkers([list, ...details], secrets)).toEqual([]);
    expect(findSecretMarkers(gateway.logLines, secrets)).toEqual([]);
  });
});
