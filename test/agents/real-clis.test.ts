import { execFile, execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

/** The installed CLI's path, or undefined when it is not on PATH. */
function installed(command: string): string | undefined {
  try {
    return execFileSync('which', [command], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function run(file: string, args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

const CLIS = [
  {
    name: 'claude',
    args: ['-p', 'Reply with one word.'],
    env: (url: string) => ({ ANTHROPIC_BASE_URL: url, ANTHROPIC_AUTH_TOKEN: 'unused', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }),
  },
  {
    name: 'gemini',
    args: ['-m', 'gemini-2.5-pro', '-p', 'Reply with one word.'],
    env: (url: string) => ({ GOOGLE_GEMINI_BASE_URL: url, GEMINI_API_KEY: 'unused' }),
  },
];

describe('the real agent CLIs in print mode, through the gateway to an OpenAI-compatible fake', () => {
  let fake: FakeUpstream;
  let gateway: TestGateway;
  beforeAll(async () => {
    fake = await startFakeUpstream('openai', { defaultScript: { kind: 'text', text: 'Switchyard-answered.' } });
    gateway = await startTestGateway(`
providers:
  local: { type: openai-compatible, base_url: "${fake.url}/v1" }
models:
  claude-*: { targets: [{ provider: local, model: local-model }] }
  gemini-*: { targets: [{ provider: local, model: local-model }] }
`);
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  for (const cli of CLIS) {
    const path = installed(cli.name);
    if (!path) {
      it.skip(`${cli.name}: not installed (\`${cli.name}\` is not on PATH), so this check does not run`, () => undefined);
      console.log(`skipping the real ${cli.name} CLI test: \`${cli.name}\` is not on PATH`);
      continue;
    }
    it(`${cli.name} answers through the gateway`, async () => {
      const result = await run(path, cli.args, cli.env(gateway.url));
      expect(result.output).toContain('Switchyard-answered.');
      expect(result.code).toBe(0);
    }, 150_000);
  }
});
