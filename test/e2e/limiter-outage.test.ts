import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { startOutageProxy } from '../support/tcp-outage-proxy.js';
import { untilPasses } from '../support/until-passes.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('limiter outage tests skipped: REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)');

let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
const gateways: TestGateway[] = [];

/** A gateway whose shared rate-limit windows live in Redis behind the proxy; `limited` allows `rpm` requests a minute. */
function config(mode: 'open' | 'closed', rpm: number): string {
  return `
state: { url: "redis://127.0.0.1:${proxy.port}", prefix: "sy-limiter-outage-${randomUUID()}:", sync_interval_ms: 50 }
limits: { on_backend_error: ${mode} }
providers:
  sim: { type: simulated }
models:
  limited: { targets: [{ provider: sim, model: echo }], limits: { rpm: ${rpm} } }
  free: { targets: [{ provider: sim, model: echo }] }
`;
}

/** One request through the OpenAI SDK: 'ok', or the refusal's status and message. */
async function ask(gateway: TestGateway, model: string): Promise<string> {
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'limited' }] });
    return 'ok';
  } catch (error) {
    if (error instanceof OpenAI.RateLimitError) return `429 ${error.code}: ${error.message.replace(/^429 /, '')} (retry-after ${error.headers.get('retry-after')})`;
    return String(error);
  }
}

async function limiterErrors(gateway: TestGateway, mode: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return Number(new RegExp(`^switchyard_limiter_backend_errors_total\\{mode="${mode}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
}

beforeAll(async () => {
  if (!redisUrl) return;
  const target = new URL(redisUrl);
  proxy = await startOutageProxy(new URL(`redis://${target.hostname}:${target.port || 6379}`));
});

afterAll(async () => {
  if (!redisUrl) return;
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  proxy.setUp(false);
  await proxy.close();
});

describe.skipIf(!redisUrl)('rate limits while Redis goes away (limits.on_backend_error)', () => {
  it('open: keeps serving and counting on this replica; closed: refuses limited requests with 429 until Redis returns', async () => {
    proxy.setUp(true);
    const open = await startTestGateway(config('open', 4));
    const closed = await startTestGateway(config('closed', 100));
    gateways.push(open, closed);
    for (const gateway of [open, closed]) {
      expect(await ask(gateway, 'limited')).toBe('ok');
      expect(await ask(gateway, 'limited')).toBe('ok');
    }

    proxy.setUp(false);
    const unavailable = '429 rate_limited: The rate limiter is unavailable and limits.on_backend_error is closed; retry shortly (retry-after 1)';
    await untilPasses(async () => expect(await ask(closed, 'limited')).toBe(unavailable), 5000);
    expect(await limiterErrors(closed, 'closed')).toBeGreaterThan(0);
    expect(closed.logLines.join('')).toContain('rate limiter unavailable; request refused');
    // Only limited requests depend on the limiter.
    expect(await ask(closed, 'free')).toBe('ok');
    // Open: served on this replica's own count from the last fleet total, so the limit still holds here.
    expect(await ask(open, 'limited')).toBe('ok');
    expect(await ask(open, 'limited')).toBe('ok');
    expect(await ask(open, 'limited')).toMatch(/^429 rate_limited: .*ALIAS RPM of 4/);

    proxy.setUp(true);
    await untilPasses(async () => expect(await ask(closed, 'limited')).toBe('ok'), 5000);
    // The points the open replica counted meanwhile reached Redis: the window it shares is still full.
    await untilPasses(async () => expect(await ask(open, 'limited')).toMatch(/^429 rate_limited: .*ALIAS RPM of 4/), 5000);
  }, 30_000);
});
