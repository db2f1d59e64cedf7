import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/start-cli.js';

/** Runs `switchyard keys …` against the test config. */
const keys = (args: string[]) => runCli(['keys', ...args, '--config', configPath]);

let dir: string;
let configPath: string;
let gateway: { child: ChildProcess; url: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-keys-'));
  configPath = join(dir, 'switchyard.yaml');
  writeFileSync(
    configPath,
    `auth: { require_keys: true }\nstorage: { url: "sqlite://${join(dir, 'keys.db')}" }\nproviders:\n  sim: { type: simulated }\nmodels:\n  main: { targets: [{ provider: sim, model: echo }] }\n`,
  );
  gateway = await startCli(configPath);
});
afterAll(async () => {
  gateway.child.kill('SIGTERM');
  await new Promise((resolve) => gateway.child.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('switchyard keys', () => {
  it('creates a key a running gateway accepts, lists it by prefix only, and a revoke stops it within a second', async () => {
    const created = await keys(['create', '--name', 'cli-key', '--models', 'main', '--rpm', '100', '--tag', 'env=ci', '--json']);
    expect(created.code).toBe(0);
    const issued = JSON.parse(created.stdout) as { id: string; prefix: string; secret: string; tags: Record<string, string>; limits: { rpm: number } };
    expect(issued.tags).toEqual({ env: 'ci' });
    expect(issued.limits.rpm).toBe(100);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: issued.secret, maxRetries: 0 });
    const ask = () => client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'from cli' }] });
    let answer: Awaited<ReturnType<typeof ask>> | undefined;
    for (let tries = 0; !answer && tries < 20; tries++) answer = await ask().catch(() => new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)));
    expect(answer?.choices[0]?.message.content).toBe('from cli');

    const listed = await keys(['list']);
    expect(listed.stdout).toContain(issued.prefix);
    expect(listed.stdout).not.toContain(issued.secret);

    expect((await keys(['revoke', issued.id])).code).toBe(0);
    const revokedAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 1000) {
      status = await ask().then(
        () => 200,
        (error: { status?: number }) => error.status ?? 0,
      );
    }
    expect(status).toBe(401);
  });

  it('rotates a key: the old secret stops, the new one works, and the usage text names every verb', async () => {
    const created = JSON.parse((await keys(['create', '--name', 'rotating', '--json'])).stdout) as { id: string; secret: string };
    const rotated = await keys(['rotate', created.id, '--json']);
    expect(rotated.code).toBe(0);
    const fresh = (JSON.parse(rotated.stdout) as { secret: string }).secret;
    expect(fresh).not.toBe(created.secret);
    const shown = await keys(['show', created.id]);
    expect(shown.stdout).toContain('"name": "rotating"');
    expect(shown.stdout).not.toContain(fresh);
    const usage = await keys(['frobnicate']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/keys create[\s\S]*keys list[\s\S]*keys show[\s\S]*keys revoke[\s\S]*keys rotate/);
  });
});
