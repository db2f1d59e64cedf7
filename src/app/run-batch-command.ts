import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `Usage:
  switchyard batch submit FILE.jsonl --model M [--endpoint /v1/chat/completions] [--delegate] [--max-cost USD] [--wait]
  switchyard batch status BATCH_ID [--watch]
  switchyard batch cancel BATCH_ID
  switchyard batch download BATCH_ID [--output FILE] [--errors FILE]
Common: [--url URL] (default $SWITCHYARD_URL or http://127.0.0.1:4000) [--key sk-sy-…] (default $SWITCHYARD_API_KEY)
FILE.jsonl holds OpenAI batch lines ({custom_id, method, url, body}) or bare request bodies, one per line;
--model sets every line's model.`;

/** The batch object fields the CLI reads. */
interface BatchObject {
  id: string;
  status: string;
  output_file_id?: string | null;
  error_file_id?: string | null;
  request_counts?: { total: number; completed: number; failed: number };
  switchyard?: { cost_usd?: number; eta_seconds?: number | null; paused_reason?: string | null; status?: string };
  error?: { message?: string };
}

const FINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);

/** Talks to a running gateway's batch API. */
class BatchClient {
  constructor(
    private readonly base: string,
    private readonly key: string | undefined,
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.key) headers.set('authorization', `Bearer ${this.key}`);
    const response = await fetch(`${this.base}${path}`, { ...init, headers });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    }
    return response;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }
}

/** Rewrites each line as an OpenAI batch line for `endpoint`, with `model` set when given. */
function toBatchLines(text: string, endpoint: string, model: string | undefined): string {
  const out: string[] = [];
  text.split('\n').forEach((row, index) => {
    if (row.trim() === '') return;
    let entry: unknown;
    try {
      entry = JSON.parse(row);
    } catch {
      out.push(row); // Sent as is: the gateway reports it in the error file.
      return;
    }
    const record = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const isLine = typeof record.custom_id === 'string' && typeof record.body === 'object';
    const body = (isLine ? record.body : record) as Record<string, unknown>;
    out.push(
      JSON.stringify({
        custom_id: isLine ? record.custom_id : `line-${index + 1}`,
        method: 'POST',
        url: isLine && typeof record.url === 'string' ? record.url : endpoint,
        body: model === undefined ? body : { ...body, model },
      }),
    );
  });
  return out.join('\n');
}

/** One line of progress: counts, cost, ETA, and why it is paused. */
function describe(batch: BatchObject): string {
  const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
  const extension = batch.switchyard ?? {};
  const status = extension.status ?? batch.status;
  const parts = [`${batch.id}  ${status}`, `${counts.completed + counts.failed}/${counts.total} done`, `${counts.failed} failed`];
  if (extension.cost_usd !== undefined) parts.push(`$${extension.cost_usd.toFixed(4)}`);
  if (extension.eta_seconds) parts.push(`ETA ${extension.eta_seconds}s`);
  if (extension.paused_reason) parts.push(`paused: ${extension.paused_reason}`);
  return parts.join('  ');
}

/** A progress bar for a terminal, redrawn in place. */
function bar(batch: BatchObject): string {
  const counts = batch.request_counts ?? { total: 0, completed: 0, failed: 0 };
  const share = counts.total === 0 ? 0 : (counts.completed + counts.failed) / counts.total;
  const width = 30;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}%  ${describe(batch)}`;
}

/** Follows a batch until it ends: a bar on a terminal, a plain line whenever it changes otherwise. */
async function watch(client: BatchClient, id: string): Promise<BatchObject> {
  const tty = process.stdout.isTTY === true;
  let last = '';
  for (;;) {
    const batch = await client.json<BatchObject>(`/v1/batches/${encodeURIComponent(id)}`);
    const line = tty ? bar(batch) : describe(batch);
    if (line !== last) {
      if (tty) process.stdout.write(`\r\x1b[2K${line}`);
      else console.log(line);
      last = line;
    }
    if (FINAL.has(batch.status)) {
      if (tty) process.stdout.write('\n');
      return batch;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** `switchyard batch …`: submit a JSONL file as a batch job, follow it, cancel it, download its results. */
export async function runBatchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      model: { type: 'string', short: 'm' },
      endpoint: { type: 'string' },
      delegate: { type: 'boolean' },
      'max-cost': { type: 'string' },
      wait: { type: 'boolean' },
      watch: { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      errors: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
    },
  });
  const [verb, target] = positionals;
  if (verb === undefined || target === undefined) {
    console.error(USAGE);
    return 2;
  }
  const base = (values.url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
  const client = new BatchClient(base, values.key ?? process.env.SWITCHYARD_API_KEY);
  try {
    switch (verb) {
      case 'submit': {
        const endpoint = values.endpoint ?? '/v1/chat/completions';
        const lines = toBatchLines(readFileSync(target, 'utf8'), endpoint, values.model);
        const form = new FormData();
        form.append('purpose', 'batch');
        form.append('file', new Blob([lines], { type: 'application/jsonl' }), basename(target));
        const file = await client.json<{ id: string }>('/v1/files', { method: 'POST', body: form });
        const metadata: Record<string, string> = {};
        if (values.delegate) metadata.switchyard_delegate = 'true';
        if (values['max-cost'] !== undefined) metadata.switchyard_max_cost_usd = values['max-cost'];
        const batch = await client.json<BatchObject>('/v1/batches', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ input_file_id: file.id, endpoint, completion_window: '24h', metadata }),
        });
        console.log(batch.id);
        if (values.wait) return (await watch(client, batch.id)).status === 'completed' ? 0 : 1;
        return 0;
      }
      case 'status': {
        if (values.watch) return (await watch(client, target)).status === 'completed' ? 0 : 1;
        console.log(describe(await client.json<BatchObject>(`/v1/batches/${encodeURIComponent(target)}`)));
        return 0;
      }
      case 'cancel':
        console.log(describe(await client.json<BatchObject>(`/v1/batches/${encodeURIComponent(target)}/cancel`, { method: 'POST' })));
        return 0;
      case 'download': {
        const batch = await client.json<BatchObject>(`/v1/batches/${encodeURIComponent(target)}`);
        if (!FINAL.has(batch.status)) {
          console.error(`error: batch ${batch.id} is ${batch.status}; download it once it has ended`);
          return 1;
        }
        const fetchFile = async (id: string | null | undefined): Promise<string> =>
          id ? await (await client.request(`/v1/files/${encodeURIComponent(id)}/content`)).text() : '';
        const output = await fetchFile(batch.output_file_id);
        if (values.output) writeFileSync(values.output, output);
        else process.stdout.write(output);
        const errors = await fetchFile(batch.error_file_id);
        if (values.errors) writeFileSync(values.errors, errors);
        else if (errors !== '') console.error(`${batch.request_counts?.failed ?? 0} lines failed; --errors FILE saves the error file`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 1;
  }
}
