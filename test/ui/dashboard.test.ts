import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { SqliteRequestLogStore } from '../../src/backends/request-log/sqlite-request-log-store.js';
import { buildDashboardIfStale, CHROMIUM, launchChromium, screenshot } from '../support/dashboard-browser.js';

const ADMIN = 'admin-key-dashboard-e2e';
/** A provider key in the config: no page may ever show it. */
const PROVIDER_KEY = 'sk-provider-dashboard-never-shown-4242';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`dashboard browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`);

const config = (dbPath: string): string => `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${dbPath}", store_bodies: true }
providers:
  sim: { type: simulated }
  oai: { type: openai, api_key: ${PROVIDER_KEY}, base_url: "http://127.0.0.1:9/v1" }
routing: { history: { interval_ms: 1000, samples: 120 } }
models:
  auto:
    strategy: bandit
    targets: [{ provider: sim, model: echo }, { provider: sim, model: lorem }]
  smart:
    strategy: fallback
    retry: { attempts: 2, base_delay_ms: 20, max_delay_ms: 40 }
    targets: [{ provider: sim, model: error }, { provider: sim, model: echo }]
`;

let dir: string;
let gateway: TestGateway;
let browser: Browser;
let page: Page;

async function admin<T>(path: string): Promise<T> {
  const response = await fetch(`${gateway.url}/admin${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return (await response.json()) as T;
}

/** Waits until the request log holds at least `count` records (it writes in batches). */
async function logHolds(count: number): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const page = await admin<{ data: unknown[] }>(`/requests?limit=${count}`);
    if (page.data.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the request log did not reach ${count} records`);
}

/** Waits until one request's record has been written. */
async function recorded(id: string): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    const response = await fetch(`${gateway.url}/admin/requests/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    if (response.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`request ${id} was not recorded`);
}

async function expectNoProviderKey(): Promise<void> {
  expect(await page.content()).not.toContain(PROVIDER_KEY);
}

describe.skipIf(!hasChromium)('the dashboard at /ui in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    buildDashboardIfStale();
    dir = mkdtempSync(join(tmpdir(), 'switchyard-ui-'));
    gateway = await startTestGateway(config(join(dir, 'log.db')), {}, { persist: true });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page with a content security policy and refuses a wrong admin key', async () => {
    const response = await page.goto(`${gateway.url}/ui/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await page.getByLabel('Admin key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That is not the admin key of this gateway.').waitFor();
    await screenshot(page, 'sign-in');
    await page.getByLabel('Admin key').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  it('shows the overview populated after traffic through the simulated provider', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    for (let i = 0; i < 4; i++) {
      await client.chat.completions.create({ model: 'simulated/echo', messages: [{ role: 'user', content: `hello ${i}` }] });
      const stream = await client.chat.completions.create({ model: 'simulated/lorem', max_tokens: 12, stream: true, messages: [{ role: 'user', content: 'go' }] });
      for await (const _chunk of stream) void _chunk;
    }
    await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'fail over please' }] });
    await logHolds(9);
    await page.reload();
    const stats = page.getByTestId('overview-stats');
    await stats.getByText('9', { exact: true }).waitFor();
    await page.getByTestId('deployments').getByText('simulated/echo').waitFor();
    await page.getByTestId('deployments').getByText('sim/error').waitFor();
    await page.locator('.recharts-line').first().waitFor();
    await expectNoProviderKey();
    await screenshot(page, 'overview');
  });

  it('filters the log to requests whose fallback fired and opens the attempt timeline', async () => {
    await page.goto(`${gateway.url}/ui/#/requests`);
    await page.getByTestId('requests').locator('tbody tr').nth(8).waitFor();
    await page.getByLabel('Fallback').selectOption('true');
    await page.getByRole('button', { name: 'Apply' }).click();
    const rows = page.getByTestId('requests').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().click();
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const attempts = await timeline.getByTestId('timeline-attempt').allTextContents();
    // sim/error fails, is retried once after a backoff wait, then the fallback target serves.
    expect(attempts, attempts.join('\n')).toHaveLength(3);
    expect(attempts[0]).toContain('#1 sim/error');
    expect(attempts[0]).toContain('upstream_server_error (HTTP 500)');
    expect(attempts[1]).toMatch(/#2 sim\/error.*waited \d+ ms before/);
    expect(attempts[2]).toMatch(/#3 sim\/echo.*served/);
    const bodies = page.getByTestId('request-bodies');
    await bodies.getByText('Request body').waitFor();
    expect(await bodies.textContent()).toContain('fail over please');
    await expectNoProviderKey();
    await screenshot(page, 'requests');
  });

  it('says a request\'s bodies expired once body retention has deleted them', async () => {
    // What the body retention job does once the bodies are older than storage.body_retention_days.
    const store = new SqliteRequestLogStore(join(dir, 'log.db'));
    try {
      expect(await store.pruneBodies(Date.now() + 1)).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    await page.reload();
    await page.getByTestId('request-bodies').getByText('Bodies expired').waitFor();
    await page.getByTestId('timeline').waitFor();
  });

  it('runs a comparison that streams side by side, rates an output as feedback and lists it', async () => {
    await page.goto(`${gateway.url}/ui/#/compare`);
    await page.getByLabel('Prompt').fill('Say hi to the dashboard');
    await page.getByLabel('More models').fill('sim/echo');
    await page.getByRole('button', { name: /^Compare \d+ models$/ }).click();
    const legs = page.getByTestId('compare-leg');
    await expect.poll(() => legs.count()).toBe(3);
    await legs.nth(2).getByText('Say hi to the dashboard').waitFor();
    await legs.nth(0).getByRole('button', { name: 'Rate 1' }).click();
    await legs.nth(0).getByText('saved as feedback (quality 1)').waitFor();
    await page.getByTestId('comparisons').locator('tbody tr').first().waitFor();
    const summary = await admin<{ data: Array<{ metric: string; count: number }> }>('/feedback/summary?window=1h');
    expect(summary.data.filter((row) => row.metric === 'quality').reduce((sum, row) => sum + row.count, 0)).toBe(1);
    await screenshot(page, 'compare');
  });

  it('creates a key showing its secret once, then revokes it', async () => {
    await page.goto(`${gateway.url}/ui/#/keys`);
    await page.getByText('No virtual keys yet.').waitFor();
    await page.getByLabel('Name').fill('dashboard-bot');
    await page.getByLabel('RPM').fill('60');
    await page.getByLabel('Daily budget').fill('5');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-secret').locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^sk-sy-/);
    const row = page.locator('tr[data-key="dashboard-bot"]');
    await row.waitFor();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: secret, maxRetries: 0 });
    await client.chat.completions.create({ model: 'simulated/echo', messages: [{ role: 'user', content: 'with a key' }] });
    await screenshot(page, 'keys');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.content()).not.toContain(secret);
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^revoked /).waitFor();
    const keys = await admin<{ data: Array<{ name: string; revokedAt?: number }> }>('/keys');
    expect(keys.data.find((key) => key.name === 'dashboard-bot')?.revokedAt).toBeTypeOf('number');
  });

  it('watches a batch job progress to completed on the Batches page', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const lines = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ custom_id: `line-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'simulated/echo', messages: [{ role: 'user', content: `batch ${i}` }] } }),
    );
    const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'lines.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    await page.goto(`${gateway.url}/ui/#/batches`);
    const row = page.locator(`tr[data-batch="${batch.id}"]`);
    await row.getByText('5 of 5 done').waitFor({ timeout: 30_000 });
    await row.getByText('completed', { exact: true }).waitFor();
    await screenshot(page, 'batches');
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toBe(`${batch.id}-results.jsonl`);
    const saved = readFileSync(await download.path(), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string });
    expect(saved.map((entry) => entry.custom_id)).toEqual(lines.map((_, i) => `line-${i}`));
  });

  it('shows each alias with its strategy, the bandit weights learned from feedback and their history, then signs out', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const served: Array<{ id: string; model: string }> = [];
    for (let i = 0; i < 6; i++) {
      const { response } = await client.chat.completions.create({ model: 'auto', max_tokens: 8, messages: [{ role: 'user', content: `learn ${i}` }] }).withResponse();
      served.push({ id: response.headers.get('x-request-id') ?? '', model: response.headers.get('x-switchyard-model') ?? '' });
    }
    for (const { id, model } of served) {
      await recorded(id);
      await client.post('/feedback', { body: { request_id: id, score: model.includes('echo') ? 1 : 0 } });
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await page.goto(`${gateway.url}/ui/#/routing`);
    const auto = page.locator('.panel', { has: page.getByRole('heading', { name: 'auto', exact: true }) });
    await auto.getByText('bandit', { exact: true }).waitFor();
    await auto.getByRole('cell', { name: 'sim/echo' }).first().waitFor();
    // Echo was rated 1 and lorem 0: the bandit ranks echo first (its weights are listed best first).
    await expect.poll(() => auto.getByTestId('bandit-weights').locator('tbody tr').first().textContent()).toContain('sim/echo');
    await auto.getByText('Bandit objective per target').waitFor();
    await auto.locator('.recharts-line').first().waitFor();
    const smart = page.locator('.panel', { has: page.getByRole('heading', { name: 'smart', exact: true }) });
    await smart.getByText('fallback', { exact: true }).waitFor();
    await expectNoProviderKey();
    await screenshot(page, 'routing');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
  });
});
