import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '../support/start-cli.js';

const LINES = 200;
const dir = mkdtempSync(join(tmpdir(), 'switchyard-batch-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('batch jobs survive a crash', () => {
  it('a gateway SIGKILLed mid-job is restarted and finishes it with every custom_id answered exactly once', async () => {
    const configPath = join(dir, 'switchyard.yaml');
    writeFileSync(
      configPath,
      `storage: { url: "sqlite://${join(dir, 'gateway.db')}" }
logging: { level: warn }
batch: { poll_ms: 50, concurrency: 4, chunk_size: 4 }
providers:
  sim:
    type: simulated
    simulated: { ttft_ms: 20, tokens_per_second: 0 }
`,
    );
    const first = await startCli(configPath);
    const rows = Array.from({ length: LINES }, (_, i) =>
      JSON.stringify({ custom_id: `job-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'sim/echo', messages: [{ role: 'user', content: `n${i}` }] } }),
    );
    let client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const file = await client.files.create({ file: await toFile(Buffer.from(rows.join('\n')), 'crash.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const before = await waitFor(async () => {
      const seen = await client.batches.retrieve(batch.id);
      const done = seen.request_counts?.completed ?? 0;
      return done >= 20 ? done : undefined;
    }, 20_000);
    expect(before).toBeLessThan(LINES);
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    await exited;

    const second = await startCli(configPath);
    try {
      client = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: 'x', maxRetries: 0 });
      const ended = await waitFor(async () => {
        const seen = await client.batches.retrieve(batch.id);
        return seen.status === 'completed' ? seen : undefined;
      }, 30_000);
      expect(ended.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
      const output = (await (await client.files.content(ended.output_file_id as string)).text()).trim().split('\n');
      const ids = output.map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
      expect(ids).toHaveLength(LINES);
      expect(new Set(ids).size).toBe(LINES);
      expect(ended.error_file_id ?? null).toBeNull();
    } finally {
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');
    }
  }, 90_000);
});
