import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  // Port 9 (discard) is closed on the test machine: the warm-up cannot reach it.
  gateway = await startTestGateway(
    'storage: { url: "sqlite://:memory:" }\nproviders:\n  down: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }\n',
    {},
    { persist: true, warm: true },
  );
});
afterAll(async () => {
  await gateway.close();
});

interface ReadyBody {
  status: string;
  store: string;
  upstreams: { warming: boolean; reachable: string[]; unreachable: string[] };
}

async function ready(): Promise<{ status: number; body: ReadyBody }> {
  const response = await fetch(`${gateway.url}/ready`);
  return { status: response.status, body: (await response.json()) as ReadyBody };
}

describe('GET /ready', () => {
  it('reports the store and the upstream warm-up, and says degraded when an upstream could not be reached', async () => {
    let answer = await ready();
    for (let i = 0; i < 100 && answer.body.upstreams?.warming !== false; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await ready();
    }
    expect(answer.body).toMatchObject({ status: 'degraded', store: 'ok', upstreams: { warming: false, reachable: [], unreachable: ['http://127.0.0.1:9'] } });
    expect(answer.status).toBe(200);
  });
});
