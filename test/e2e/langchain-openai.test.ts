import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

type Json = Record<string, unknown>;

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/** LangChain's ChatOpenAI (`@langchain/openai`) pointed at the gateway, over Chat Completions and over the Responses API. */
for (const useResponsesApi of [false, true]) {
  describe(`LangChain ChatOpenAI through the gateway (${useResponsesApi ? 'useResponsesApi' : 'chat completions'}) to an Anthropic upstream`, () => {
    let fake: FakeUpstream;
    let gateway: TestGateway;
    let model: ChatOpenAI;

    beforeAll(async () => {
      fake = await startFakeUpstream('anthropic');
      gateway = await startTestGateway(`
defaults: { retry: { attempts: 1 } }
providers:
  claude: { type: anthropic, base_url: "${fake.url}", api_key: ant-key }
models:
  smart: { targets: [{ provider: claude, model: claude-sonnet-4-5 }] }
`);
      model = new ChatOpenAI({ model: 'smart', apiKey: 'langchain-client', maxRetries: 0, useResponsesApi, configuration: { baseURL: `${gateway.url}/v1` } });
    });
    afterAll(async () => {
      await gateway.close();
      await fake.close();
    });

    it('answers a chat', async () => {
      fake.enqueue({ kind: 'text', text: 'Bonjour.', usage: { input: 12, output: 3 } });
      const reply = await model.invoke([
        ['system', 'Translate to French.'],
        ['human', 'Hello.'],
      ]);
      expect(reply.text).toBe('Bonjour.');
      expect(reply.usage_metadata).toMatchObject({ input_tokens: 12, output_tokens: 3 });
      const sent = fake.requests.at(-1)?.body as Json;
      expect(sent.system).toBeDefined();
      expect(JSON.stringify(sent.messages)).toContain('Hello.');
    });

    it('streams', async () => {
      fake.enqueue({ kind: 'text', text: ['One, ', 'two, ', 'three.'] });
      let text = '';
      for await (const chunk of await model.stream('Count to three.')) text += chunk.text;
      expect(text).toBe('One, two, three.');
    });

    it('calls a tool and takes its result', async () => {
      fake.enqueue({ kind: 'tool-calls', calls: [{ id: 'toolu_lc_1', name: 'get_weather', arguments: { city: 'Oslo' } }] });
      const withTools = model.bindTools([weatherTool]);
      const call = await withTools.invoke('Weather in Oslo?');
      expect(call.tool_calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: 'Oslo' } })]);
      const callId = call.tool_calls?.[0]?.id ?? '';
      expect(callId).not.toBe('');

      fake.enqueue({ kind: 'text', text: 'It is 4 degrees in Oslo.' });
      const answer = await withTools.invoke([
        ['human', 'Weather in Oslo?'],
        call,
        { role: 'tool', content: '4 degrees', tool_call_id: callId },
      ]);
      expect(answer.text).toBe('It is 4 degrees in Oslo.');
      const sent = JSON.stringify((fake.requests.at(-1)?.body as Json).messages);
      expect(sent).toContain('tool_result');
      expect(sent).toContain('4 degrees');
    });
  });
}
