import { execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRecord } from '../../src/core/index.js';
import { startCli } from '../support/start-cli.js';

/**
 * Every fenced snippet of README.md, run as a new user would on the quick-start setup: the gateway started with no
 * config file and no provider keys. The only edit is the port (the test gateway listens on a free one).
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const README_ADDRESS = 'http://127.0.0.1:4000';
const ADMIN_KEY = 'sy-admin-readme-test';
/** Snippets that are the test run itself, or that this gateway already is. */
const NOT_RUN_HERE = new Set(['npm install && npm start', 'npm test']);

interface Snippet {
  lang: string;
  code: string;
  line: number;
}

function readmeSnippets(): Snippet[] {
  const text = readFileSync(join(root, 'README.md'), 'utf8');
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] as string,
    code: m[2] as string,
    line: text.slice(0, m.index).split('\n').length,
  }));
}

/** An environment without any provider key or config pointer, as on a fresh machine. */
function freshEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /_API_KEY$|^SWITCHYARD_|^DATABASE_URL$|^REDIS_URL$|^OTEL_/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

function run(file: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, cwd, timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value);
  return out;
}

/** The newest request id in the gateway's log, waiting for the log's batched write. */
async function newestRequestId(): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const response = await fetch(`${gateway.url}/admin/requests?limit=1`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const page = (await response.json()) as { data?: Array<{ id: string }> };
    const id = page.data?.[0]?.id;
    if (id !== undefined) return id;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no request reached the log');
}

const snippets = readmeSnippets();
let dir: string;
let gateway: { child: ChildProcess; url: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-readme-'));
  gateway = await startCli(undefined, [], { cwd: dir, env: freshEnv({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY }) });
});
afterAll(async () => {
  const exited = once(gateway.child, 'exit');
  gateway.child.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
});

describe('README snippets on the quick-start gateway', () => {
  it('finds the snippets', () => {
    expect(snippets.filter((s) => s.lang === 'ts').length).toBeGreaterThanOrEqual(4);
    expect(snippets.filter((s) => s.lang === 'sh').length).toBeGreaterThanOrEqual(3);
  });

  const shell = snippets.filter((s) => s.lang === 'sh' && !NOT_RUN_HERE.has(s.code.trim()));
  it.each(shell.map((s) => [s.line, s] as const))('shell snippet at README.md:%i runs and gets 2xx answers', async (_line, snippet) => {
    // curl only fails on a transport error by default; --fail-with-body makes an HTTP error fail the snippet too.
    const prelude = 'set -e\ncurl() { command curl --fail-with-body -sS "$@"; }\n';
    const env = freshEnv({ SWITCHYARD_ADMIN_KEY: ADMIN_KEY });
    // `<id>` stands for a request id from the log: the newest one, once the log has written it.
    const code = snippet.code.replaceAll(README_ADDRESS, gateway.url).replaceAll('<id>', snippet.code.includes('<id>') ? await newestRequestId() : '');
    const result = await run('bash', ['-c', prelude + code], env, dir);
    // A Responses API body always has an `error` field, null when it succeeded.
    expect(result.output).not.toMatch(/"error":\s*\{/);
    expect(result.code, result.output).toBe(0);
  });

  const scripts = snippets.filter((s) => s.lang === 'ts');
  it.each(scripts.map((s) => [s.line, s] as const))('code snippet at README.md:%i runs without an error', async (_line, snippet) => {
    const code = snippet.code.replaceAll(README_ADDRESS, gateway.url);
    const result = await run(process.execPath, ['--input-type=module', '-e', code], freshEnv(), root);
    expect(result.code, result.output).toBe(0);
  });

  it('the YAML snippets, merged onto the first full example, pass `switchyard check`', async () => {
    const blocks = snippets.filter((s) => s.lang === 'yaml');
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    const merged = blocks.map((b) => parseYaml(b.code) as unknown).reduce((a, b) => deepMerge(a, b));
    const path = join(dir, 'merged.yaml');
    writeFileSync(path, stringifyYaml(merged));
    const variables = [...new Set([...blocks.map((b) => b.code).join('\n').matchAll(/\$\{([A-Z0-9_]+)\}/g)].map((m) => m[1] as string))];
    const keys = Object.fromEntries(variables.map((name) => [name, `value-of-${name}`]));
    const result = await run(process.execPath, [join(root, 'dist/cli.js'), 'check', '--config', path], freshEnv(keys), dir);
    expect(result.code, result.output).toBe(0);
  });
});
