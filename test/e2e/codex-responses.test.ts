import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeFormat, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const codexRequest = readFileSync(new URL('../../src/wire/openai-responses/__fixtures__/codex-request.json', import.meta.url), 'utf8');

const PROVIDERS: Record<FakeFormat, (url: string) => string> = {
  openai: (url) => `{ type: openai, base_url: "${url}/v1", api_key: sk-fake }`,
  anthropic: (url) => `{ type: anthropic, base_url: "${url}", api_key: sk-fake }`,
  gemini: (url) => `{ type: gemini, base_url: "${url}", api_key: sk-fake }`,
};

const UPSTREAM_MODEL: Record<FakeFormat, string> = { openai: 'gpt-4o', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash' };

function eventNames(sse: string): string[] {
  return [...sse.matchAll(/^event: (.+)$/gm)].map((match) => match[1] ?? '');
}

for (const format of ['openai', 'anthropic', 'gemini'] as const) {
  describe(`a Codex-shaped Responses request → ${format} upstream`, () => {
    let fake: FakeUpstream;
    let gateway: TestGateway;

    beforeAll(async () => {
      fake = await startFakeUpstream(format);
      gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
providers:
  up: ${PROVIDERS[format](fake.url)}
models:
  gpt-5-codex:
    targets: [{ provider: up, model: ${UPSTREAM_MODEL[format]} }]
`);
    });
    afterAll(async () => {
      await gateway.close();
      await fake.close();
    });

    it('streams the typed events, warns about what it dropped, and never sends encrypted reasoning upstream', async () => {
      fake.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_up_1', name: 'docs__search', arguments: { query: 'install' } }] });
      const response = await fetch(`${gateway.url}/v1/responses`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer codex-client',
          originator: 'codex_cli_rs',
          session_id: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
          'x-codex-turn-metadata': '{"turn_id":"1"}',
          'accept-encoding': 'zstd, gzip',
        },
        body: codexRequest,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(response.headers.get('x-switchyard-warnings')).toContain('parameter_dropped(tools[1])');
      expect(response.headers.get('x-switchyard-warnings')).toContain('parameter_dropped(input[3].encrypted_content)');
      const sse = await response.text();
      const names = eventNames(sse);
      expect(names.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
      expect(names).toContain('response.function_call_arguments.done');
      expect(names.at(-1)).toBe('response.completed');
      expect(sse).toContain('"namespace":"docs"');
      expect(sse).toContain('"name":"search"');

      const sent = JSON.stringify(fake.requests.at(-1)?.body);
      expect(sent).not.toContain('opaque-blob');
      expect(sent).toContain('docs__search');
      expect(sent).not.toContain('web_search');
      expect(sent).toContain('README.md');
    });
  });
}
