import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, GatewayError } from '../../src/index.js';

const messages = [{ role: 'user', content: 'governed' }];
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-library-governance-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The gateway error a call was refused with. */
async function refusal(call: Promise<unknown>): Promise<GatewayError> {
  const error = await call.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe('governance in the library API', () => {
  it('applies an alias rate limit without any keys or store', async () => {
    const gateway = createGateway({
      providers: { sim: { type: 'simulated' } },
      models: { main: { targets: [{ provider: 'sim', model: 'echo' }], limits: { rpm: 1 } } },
    });
    try {
      expect((await gateway.chat({ model: 'main', messages })).text).toBe('governed');
      const refused = await refusal(gateway.chat({ model: 'main', messages }));
      expect(refused.code).toBe('rate_limited');
      expect(refused.message).toContain('ALIAS RPM of 1 per minute');
      expect(await gateway.keys()).toBeUndefined();
    } finally {
      await gateway.close();
    }
  });

  it('with require_keys: creates keys in the store and holds each call to its key: 401, 403, RPM and budget', async () => {
    const gateway = createGateway({
      storage: { url: `sqlite://${join(dir, 'keys.db')}` },
      auth: { require_keys: true },
      providers: { sim: { type: 'simulated', simulated: { models: { priced: { behavior: 'echo', usage: { input: 10, output: 5 } } } }, models: { priced: { price: { input: 1000, output: 2000 } } } } },
      models: { main: { targets: [{ provider: 'sim', model: 'priced' }] }, other: { targets: [{ provider: 'sim', model: 'priced' }] } },
    });
    try {
      const keys = await gateway.keys();
      if (!keys) throw new Error('require_keys should open the key store');
      const limited = await keys.create({ name: 'lib-rpm', models: ['main'], limits: { rpm: 2 }, budget: {}, tags: {} }, 'library-test');
      expect((await refusal(gateway.chat({ model: 'main', messages }))).code).toBe('authentication_failed');
      expect((await refusal(gateway.chat({ model: 'main', messages }, { key: 'sk-sy-not-a-key' }))).message).toBe('Invalid virtual key');
      expect((await gateway.chat({ model: 'main', messages }, { key: limited.secret })).text).toBe('governed');
      expect((await refusal(gateway.chat({ model: 'other', messages }, { key: limited.secret }))).code).toBe('permission_denied');
      const streamed: string[] = [];
      for await (const event of gateway.stream({ model: 'main', messages }, { key: limited.secret })) if (event.type === 'text-delta') streamed.push(event.text);
      expect(streamed.join('')).toBe('governed');
      expect((await refusal(gateway.chat({ model: 'main', messages }, { key: limited.secret }))).code).toBe('rate_limited');

      // $0.02 a call, settled from the reported usage: a $0.035 budget takes two calls and refuses the third.
      const budgeted = await keys.create({ name: 'lib-budget', models: [], limits: {}, budget: { dailyUsd: 0.035 }, tags: {} }, 'library-test');
      await gateway.chat({ model: 'main', max_tokens: 5, messages }, { key: budgeted.secret });
      await gateway.chat({ model: 'main', max_tokens: 1, messages }, { key: budgeted.secret });
      expect((await refusal(gateway.chat({ model: 'main', max_tokens: 1, messages }, { key: budgeted.secret }))).code).toBe('budget_exceeded');
    } finally {
      await gateway.close();
    }
  });
});
