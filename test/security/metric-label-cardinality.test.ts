import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CONFIG = `
providers:
  sim: { type: simulated }
models:
  main:
    targets: [{ provider: sim, model: echo }]
`;

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway.close();
});

async function switchyardSeries(): Promise<string[]> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return text.split('\n').filter((line) => line.startsWith('switchyard_'));
}

function chat(model: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('metric labels come only from configured names', () => {
  it('counts made-up provider/model names under one `other` label instead of a series each', async () => {
    await chat('main');
    await chat('sim/echo');
    const before = (await switchyardSeries()).length;
    const padding = 'x'.repeat(200);
    for (let index = 0; index < 200; index += 1) {
      const response = await chat(`sim/made-up-${index}-${padding}`);
      await response.arrayBuffer();
    }
    const after = await switchyardSeries();
    expect(after.filter((line) => line.includes('made-up-')).map((line) => line.slice(0, 120))).toEqual([]);
    // One `other` row per metric and label combination at most: a few dozen series, not 200 per metric.
    expect(after.length - before).toBeLessThan(80);
    expect(after.some((line) => line.includes('model="other"'))).toBe(true);
    expect(after.some((line) => line.includes('model="main"'))).toBe(true);
    expect(after.some((line) => line.includes('model="sim/echo"'))).toBe(true);
  });
});
