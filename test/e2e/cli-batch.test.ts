import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/start-cli.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let dir: string;
let gateway: TestGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-cli-batch-'));
  gateway = await startTestGateway(`storage: { url: "sqlite://${join(dir, 'gateway.db')}" }\nbatch: { poll_ms: 50 }\nproviders:\n  sim: { type: simulated }\n`, {}, { persist: true });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('switchyard batch', () => {
  it('submits bare request bodies with --model, follows the job with plain lines off a terminal, and downloads the output', async () => {
    const input = join(dir, 'prompts.jsonl');
    writeFileSync(input, Array.from({ length: 5 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `cli ${i}` }] })).join('\n'));
    const submitted = await runCli(['batch', 'submit', input, '--model', 'sim/echo', '--wait', '--url', gateway.url]);
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const [id, ...progress] = submitted.stdout.trim().split('\n');
    expect(id).toMatch(/^batch_/);
    expect(progress.at(-1)).toMatch(/completed {2}5\/5 done {2}0 failed/);
    expect(submitted.stdout).not.toContain('\r');

    const output = join(dir, 'out.jsonl');
    const downloaded = await runCli(['batch', 'download', id as string, '--output', output, '--url', gateway.url]);
    expect(downloaded.code).toBe(0);
    const lines = readFileSync(output, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string; response: { body: { choices: Array<{ message: { content: string } }> } } });
    expect(lines.map((line) => line.custom_id)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5']);
    expect(lines[2]?.response.body.choices[0]?.message.content).toBe('cli 2');

    const status = await runCli(['batch', 'status', id as string, '--url', gateway.url]);
    expect(status.stdout).toContain(`${id as string}  completed  5/5 done`);
    const cancel = await runCli(['batch', 'cancel', id as string, '--url', gateway.url]);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain('Cannot cancel a batch that is completed');
  }, 90_000);

  it('prints its usage without a verb', async () => {
    const run = await runCli(['batch']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('switchyard batch submit FILE.jsonl --model M');
  }, 30_000);
});
