import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { REQUEST_LOG_COLUMNS } from '../../dist/backends/request-log/request-log-columns.js';

// The product floor's record thread (floor-product.ts): batches of records written to SQLite as the gateway's own
// store writes them (WAL, synchronous NORMAL, the request log's columns and lookup indexes, 50 rows per statement, a
// transaction per batch), and nothing else. The indexes are part of the duty: they are what lets the dashboard and
// `switchyard logs` find a request by time, model, provider, key or status.

/** What the product floor records of each request. */
export interface FloorRecord {
  id: string;
  startedAt: number;
  keyId: string | null;
  requestedModel: string;
  provider: string;
  model: string;
  status: number;
  attempts: { provider: string; model: string; status: number; latencyMs: number }[];
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  finishReason: string | null;
  routing: { providerId: string; model: string; action: string; reason: string }[];
}

const ROWS_PER_STATEMENT = 50;
type Value = string | number | null;

/** The record's row, in the request log's column order. */
function values(r: FloorRecord): Value[] {
  return [
    r.id, r.startedAt, 'openai', r.keyId, r.requestedModel, r.provider, r.model, 0, r.status, null, null, r.attempts.length,
    JSON.stringify(r.attempts), null, r.latencyMs, null, r.inputTokens, 0, 0, r.outputTokens, 0, null, r.costUsd,
    r.finishReason, r.finishReason, null, '[]', null, JSON.stringify(r.routing), null, null, null, 0,
  ];
}

const dir = mkdtempSync(join(tmpdir(), 'floor-product-'));
const db = new Database(join(dir, 'log.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`CREATE TABLE log (${REQUEST_LOG_COLUMNS.map((name) => (name === 'id' ? 'id TEXT PRIMARY KEY' : name)).join(', ')})`);
db.exec('CREATE INDEX log_started_at ON log (started_at DESC, id DESC)');
for (const column of ['requested_model', 'model', 'provider', 'key_id', 'status']) db.exec(`CREATE INDEX log_${column} ON log (${column}, started_at)`);
const row = `(${REQUEST_LOG_COLUMNS.map(() => '?').join(', ')})`;
const statements = new Map<number, Database.Statement<[Value[]]>>();
function insert(rows: number): Database.Statement<[Value[]]> {
  let statement = statements.get(rows);
  if (!statement) {
    statement = db.prepare<[Value[]]>(`INSERT OR IGNORE INTO log VALUES ${Array.from({ length: rows }, () => row).join(', ')}`);
    statements.set(rows, statement);
  }
  return statement;
}
const write = db.transaction((records: FloorRecord[]) => {
  for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
    const slice = records.slice(start, start + ROWS_PER_STATEMENT);
    insert(slice.length).run(slice.flatMap(values));
  }
});
parentPort?.on('message', (records: FloorRecord[]) => write(records));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
