import { getEventListeners } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AllTargetsFailedError, GatewayError, createGateway, type ConfigFile, type Gateway, type StreamEvent } from '../../src/index.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';

let upstream: FakeUpstream;
const opened: Gateway[] = [];

function gatewayFor(config: ConfigFile): Gateway {
  const gateway = createGateway(config, { env: {} });
  opened.push(gateway);
  return gateway;
}

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((gateway) => gateway.close()));
  upstream.requests.length = 0;
});
afterAll(async () => {
  await upstream.close();
});

const simulatedOnly: ConfigFile = {
  defaults: { retry: { attempts: 1 } },
  providers: { sim: { type: 'simulated' } },
  models: { resilient: { targets: [{ provider: 'sim', model: 'error' }, { provider: 'sim', model: 'echo' }] } },
};

const slowSimulated: ConfigFile = {
  defaults: { retry: { attempts: 1 } },
  providers: { sim: { type: 'simulated', simulated: { models: { slow: { behavior: 'lorem', output_tokens: 200, tokens_per_second: 50 } } } } },
};

describe('createGateway(config)', () => {
  it('stream() stops when the caller aborts its signal, and a reused signal keeps no listeners', async () => {
    const gateway = gatewayFor(slowSimulated);
    const controller = new AbortController();
    for (let i = 0; i < 3; i++) await gateway.chat({ model: 'sim/echo', messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const seen: StreamEvent[] = [];
    for await (const event of gateway.stream({ model: 'sim/slow', messages: [{ role: 'user', content: 'go' }] }, { signal: controller.signal })) {
      seen.push(event);
      if (event.type === 'text-delta') controller.abort(new GatewayError('client_closed', 'caller gave up'));
    }
    // A committed stream ends with an error event rather than a throw, like every failure after the first content.
    expect(seen.at(-1)).toMatchObject({ type: 'error', error: { code: 'client_closed' } });
    expect(seen.filter((event) => event.type === 'text-delta')).toHaveLength(1);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('chat() answers from the simulated provider with text, provider, model and one attempt', async () => {
    const result = await gatewayFor(simulatedOnly).chat({ model: 'sim/echo', messages: [{ role: 'user', content: 'hello library' }] });
    expect(result.text).toBe('hello library');
    expect(result.provider).toBe('sim');
    expect(result.model).toBe('echo');
    expect(result.attempts).toEqual([expect.objectContaining({ provider: 'sim', model: 'echo', outcome: 'ok' })]);
    expect(result.response.finishReason?.unified).toBe('stop');
  });

  it('chat() calls an OpenAI-format upstream with its key and the upstream model name', async () => {
    const gateway = gatewayFor({
      defaults: { retry: { attempts: 1 } },
      providers: { oai: { type: 'openai', base_url: `${upstream.url}/v1`, api_key: E2E_UPSTREAM_KEYS.openai } },
    });
    upstream.enqueue({ kind: 'text', text: 'from the fake', usage: { input: 9, output: 3 } });
    const result = await gateway.chat({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(result.text).toBe('from the fake');
    expect(result.provider).toBe('oai');
    expect(result.model).toBe('gpt-4o-mini');
    expect(result.attempts).toHaveLength(1);
    expect(result.response.usage).toMatchObject({ inputTokens: 9, outputTokens: 3 });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${E2E_UPSTREAM_KEYS.openai}`);
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('stream() yields text deltas that join to the reply, then a finish as the last event', async () => {
    const events: StreamEvent[] = [];
    for await (const event of gatewayFor(simulatedOnly).stream({ model: 'sim/echo', messages: [{ role: 'user', content: 'one two three' }] })) {
      events.push(event);
    }
    const deltas = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('one two three');
    expect(events.filter((event) => event.type === 'finish')).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: { unified: 'stop' } });
  });

  it('stream() from an OpenAI-format upstream yields its deltas in order', async () => {
    const gateway = gatewayFor({ providers: { oai: { type: 'openai', base_url: `${upstream.url}/v1`, api_key: E2E_UPSTREAM_KEYS.openai } } });
    upstream.enqueue({ kind: 'text', text: ['Hel', 'lo', '!'] });
    const deltas: string[] = [];
    let finish: StreamEvent | undefined;
    for await (const event of gateway.stream({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })) {
      if (event.type === 'text-delta') deltas.push(event.text);
      if (event.type === 'finish') finish = event;
    }
    expect(deltas).toEqual(['Hel', 'lo', '!']);
    expect(finish).toMatchObject({ reason: { unified: 'stop' } });
    expect(upstream.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('fails over along a fallback alias: the failed attempt first, then the served one', async () => {
    const result = await gatewayFor(simulatedOnly).chat({ model: 'resilient', messages: [{ role: 'user', content: 'still here' }] });
    expect(result.text).toBe('still here');
    expect(result.model).toBe('echo');
    expect(result.attempts.map((a) => [a.model, a.outcome])).toEqual([
      ['error', expect.not.stringMatching(/^ok$/) as unknown],
      ['echo', 'ok'],
    ]);
  });

  it('rejects with every attempt listed when all targets fail', async () => {
    const error = await gatewayFor(simulatedOnly)
      .chat({ model: 'sim/error', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AllTargetsFailedError);
    expect((error as AllTargetsFailedError).attempts).toEqual([expect.objectContaining({ provider: 'sim', model: 'error' })]);
  });

  it('rejects an invalid request body with a GatewayError naming the field', async () => {
    const error = await gatewayFor(simulatedOnly)
      .chat({ model: 'sim/echo', messages: [{ role: 'wizard', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).message).toContain('messages[0].role');
  });

  it('throws on an invalid config, naming the offending path', () => {
    const unknownKey = { providers: { sim: { type: 'simulated', colour: 'blue' } } } as unknown as ConfigFile;
    expect(() => createGateway(unknownKey)).toThrow(/providers\.sim\.colour/);
    const dangling: ConfigFile = { providers: { sim: { type: 'simulated' } }, models: { main: { targets: [{ provider: 'ghost', model: 'x' }] } } };
    expect(() => createGateway(dangling)).toThrow(/models\.main\.targets\[0\]\.provider/);
  });

  it('close() resolves, and resolves again when called twice', async () => {
    const gateway = createGateway(simulatedOnly);
    await gateway.chat({ model: 'sim/echo', messages: [{ role: 'user', content: 'bye' }] });
    await expect(gateway.close()).resolves.toBeUndefined();
    await expect(gateway.close()).resolves.toBeUndefined();
  });
});
