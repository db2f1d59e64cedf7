import { describe, expect, it, vi } from 'vitest';
import { collector } from '../../../test/support/young-collections.js';
import {
  RequestLogRejectedError,
  type AggregateRow,
  type RequestLogPage,
  type RequestLogStore,
  type StoredRequestLogRecord,
} from '../../ports/request-log-store.js';
import type { ResponseStore } from '../../ports/response-store.js';
import { BatchingRequestLog, type Schedule } from './batching-request-log.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';

function makeRecord(id: string, extra: Partial<StoredRequestLogRecord> = {}): StoredRequestLogRecord {
  return { id, startedAt: 1_000, clientFormat: 'openai-chat', stream: false, status: 200, attempts: [], latencyMs: 5, warnings: [], ...extra };
}

/** A store kept in a Map that can be switched off, counting calls and concurrent inserts. */
class SwitchableStore implements Omit<RequestLogStore, 'saveComparison' | 'listComparisons' | 'getComparison' | keyof ResponseStore> {
  readonly rows = new Map<string, StoredRequestLogRecord>();
  readonly batchSizes: number[] = [];
  down = false;
  rejectId: string | undefined;
  private active = 0;
  maxActive = 0;

  async migrate(): Promise<void> {}
  async insertBatch(records: StoredRequestLogRecord[]): Promise<void> {
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await Promise.resolve();
      if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      if (records.some((record) => record.id === this.rejectId)) throw new RequestLogRejectedError('bad row');
      this.batchSizes.push(records.length);
      for (const record of records) if (!this.rows.has(record.id)) this.rows.set(record.id, record);
    } finally {
      this.active -= 1;
    }
  }
  async query(): Promise<RequestLogPage> {
    return { records: [...this.rows.values()] };
  }
  async get(id: string): Promise<StoredRequestLogRecord | undefined> {
    return this.rows.get(id);
  }
  async aggregate(): Promise<AggregateRow[]> {
    return [];
  }
  async prune(): Promise<number> {
    return 0;
  }
  async pruneBodies(): Promise<number> {
    return 0;
  }
  async upsertFeedback(): Promise<void> {}
  async feedbackSummary(): Promise<[]> {
    return [];
  }
  async close(): Promise<void> {}
}

/** Fires every timer on the next turn of the event loop and remembers the requested delays. */
function immediateSchedule(delays: number[]): Schedule {
  return (callback, ms) => {
    delays.push(ms);
    const handle = setImmediate(callback);
    return () => clearImmediate(handle);
  };
}

/** Timers that fire only when the test says so. */
function manualSchedule(): { schedule: Schedule; armed: () => number; fire: () => void } {
  let timers: Array<{ callback: () => void; cancelled: boolean }> = [];
  return {
    schedule: (callback) => {
      const timer = { callback, cancelled: false };
      timers.push(timer);
      return () => void (timer.cancelled = true);
    },
    armed: () => timers.filter((timer) => !timer.cancelled).length,
    fire: () => {
      const due = timers.filter((timer) => !timer.cancelled);
      timers = [];
      for (const timer of due) timer.callback();
    },
  };
}

/** A store whose inserts stay in flight until the test releases them, remembering each batch's ids. */
function gatedStore(): { store: Pick<RequestLogStore, 'insertBatch'>; batches: string[][]; release: () => Promise<void> } {
  const batches: string[][] = [];
  const gates: Array<() => void> = [];
  return {
    batches,
    store: {
      insertBatch: (records) =>
        new Promise<void>((resolve) => {
          batches.push(records.map((record) => record.id));
          gates.push(resolve);
        }),
    },
    release: async () => {
      gates.shift()?.();
      // Lets the writer's continuation run, as it would before any timer could fire.
      for (let turn = 0; turn < 10; turn += 1) await Promise.resolve();
    },
  };
}

describe('BatchingRequestLog', () => {
  it('writes every record exactly once after the store recovers from an outage', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const log = new BatchingRequestLog(store, { batchSize: 3, flushIntervalMs: 1, retryBaseMs: 1, retryMaxMs: 2 });
    for (let i = 0; i < 5; i += 1) log.record(makeRecord(`before-${i}`));
    await vi.waitFor(() => expect(log.stats().failures).toBeGreaterThanOrEqual(3));
    for (let i = 0; i < 5; i += 1) log.record(makeRecord(`during-${i}`));
    expect(log.stats().depth).toBe(10);
    store.down = false;
    await log.flush();
    expect(store.rows.size).toBe(10);
    expect(store.batchSizes.reduce((sum, size) => sum + size, 0)).toBe(10);
    expect(log.stats()).toMatchObject({ depth: 0, written: 10, dropped: 0 });
  });

  it('does not duplicate rows when a write committed but reported failure', async () => {
    const sqlite = new SqliteRequestLogStore(':memory:');
    await sqlite.migrate();
    let calls = 0;
    const flaky: RequestLogStore = Object.assign(Object.create(sqlite) as RequestLogStore, {
      async insertBatch(records: StoredRequestLogRecord[]): Promise<void> {
        await sqlite.insertBatch(records);
        calls += 1;
        if (calls === 1) throw new Error('connection reset after commit');
      },
    });
    const log = new BatchingRequestLog(flaky, { retryBaseMs: 1 });
    ['a', 'b', 'c'].forEach((id) => log.record(makeRecord(id)));
    await log.flush();
    expect((await sqlite.query({})).records.map((record) => record.id).sort()).toEqual(['a', 'b', 'c']);
    expect(log.stats()).toMatchObject({ written: 3, failures: 1 });
    await sqlite.close();
  });

  it('drops the oldest records when the queue is full and counts the drops', async () => {
    const store = new SwitchableStore();
    const log = new BatchingRequestLog(store, { maxQueue: 3, batchSize: 100, flushIntervalMs: 60_000 });
    for (let i = 1; i <= 5; i += 1) log.record(makeRecord(`r${i}`));
    expect(log.stats()).toMatchObject({ depth: 3, dropped: 2 });
    await log.flush();
    expect([...store.rows.keys()]).toEqual(['r3', 'r4', 'r5']);
  });

  it('flush drains everything queued in batches of the configured size, one insert at a time', async () => {
    const store = new SwitchableStore();
    const log = new BatchingRequestLog(store, { batchSize: 100, flushIntervalMs: 60_000 });
    for (let i = 0; i < 1234; i += 1) log.record(makeRecord(`r${i}`));
    await log.flush();
    expect(store.rows.size).toBe(1234);
    expect(Math.max(...store.batchSizes)).toBe(100);
    expect(store.maxActive).toBe(1);
    expect(log.stats()).toEqual({ depth: 0, dropped: 0, written: 1234, failures: 0, rejected: 0 });
  });

  it('writes a full batch without waiting for the flush interval', async () => {
    const store = new SwitchableStore();
    const log = new BatchingRequestLog(store, { batchSize: 2, flushIntervalMs: 60_000 });
    log.record(makeRecord('a'));
    log.record(makeRecord('b'));
    await vi.waitFor(() => expect(store.rows.size).toBe(2));
  });

  it('writes a partial batch when the flush interval fires', async () => {
    const store = new SwitchableStore();
    const delays: number[] = [];
    const log = new BatchingRequestLog(store, { batchSize: 10, flushIntervalMs: 250, schedule: immediateSchedule(delays) });
    log.record(makeRecord('a'));
    await vi.waitFor(() => expect(store.rows.size).toBe(1));
    expect(delays[0]).toBe(250);
  });

  it('waits at most 25 ms by default before writing a partial batch, which bounds what a SIGKILL loses', async () => {
    const store = new SwitchableStore();
    const delays: number[] = [];
    const log = new BatchingRequestLog(store, { schedule: immediateSchedule(delays) });
    log.record(makeRecord('a'));
    await vi.waitFor(() => expect(store.rows.size).toBe(1));
    expect(delays[0]).toBe(25);
  });

  it('waits for the flush interval before writing a partial batch that queued during an insert', async () => {
    const { store, batches, release } = gatedStore();
    const timers = manualSchedule();
    const log = new BatchingRequestLog(store, { batchSize: 4, schedule: timers.schedule });
    ['a', 'b', 'c', 'd'].forEach((id) => log.record(makeRecord(id)));
    ['e', 'f'].forEach((id) => log.record(makeRecord(id)));
    await release();
    expect(batches).toEqual([['a', 'b', 'c', 'd']]);
    log.record(makeRecord('g'));
    expect(batches).toHaveLength(1);
    timers.fire();
    expect(batches).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g'],
    ]);
  });

  it('writes a full batch that queued during an insert as soon as that insert returns', async () => {
    const { store, batches, release } = gatedStore();
    const timers = manualSchedule();
    const log = new BatchingRequestLog(store, { batchSize: 2, schedule: timers.schedule });
    ['a', 'b', 'c', 'd', 'e'].forEach((id) => log.record(makeRecord(id)));
    await release();
    expect(batches).toEqual([['a', 'b'], ['c', 'd']]);
    await release();
    expect(batches).toHaveLength(2);
    expect(log.stats()).toMatchObject({ depth: 1, written: 4 });
  });

  it('writes a partial batch right after the insert ahead of it when its interval passed during that insert', async () => {
    const { store, batches, release } = gatedStore();
    const timers = manualSchedule();
    const log = new BatchingRequestLog(store, { batchSize: 2, schedule: timers.schedule });
    ['a', 'b', 'c'].forEach((id) => log.record(makeRecord(id)));
    timers.fire();
    expect(batches).toEqual([['a', 'b']]);
    await release();
    expect(batches).toEqual([['a', 'b'], ['c']]);
    await release();
    expect(timers.armed()).toBe(0);
    expect(log.stats()).toMatchObject({ depth: 0, written: 3 });
  });

  it('prepares a batch one slice per event-loop turn before handing it to the store, in order', async () => {
    const { store, batches } = gatedStore();
    const turns: Array<() => void> = [];
    const nextTurn = (): Promise<void> => new Promise((resolve) => turns.push(resolve));
    const log = new BatchingRequestLog(store, { batchSize: 40, nextTurn });
    for (let i = 0; i < 40; i += 1) log.record(makeRecord(`r${i}`, { metadata: { tag: 'sk-live-abcdefghijkl' } }));
    log.record(makeRecord('late'));
    let passed = 0;
    for (; batches.length === 0 && passed < 10; passed += 1) {
      await Promise.resolve();
      turns.shift()?.();
      await Promise.resolve();
    }
    // Five slices of 8 records, a turn between each: no slice holds the gateway thread for the whole batch.
    expect(passed).toBe(4);
    expect(batches).toEqual([Array.from({ length: 40 }, (_, i) => `r${i}`)]);
    expect(log.stats().depth).toBe(41);
  });

  it('flush writes a queued partial batch without waiting for the interval', async () => {
    const store = new SwitchableStore();
    const timers = manualSchedule();
    const log = new BatchingRequestLog(store, { batchSize: 3, schedule: timers.schedule });
    ['a', 'b', 'c', 'd'].forEach((id) => log.record(makeRecord(id)));
    await log.flush();
    expect(store.batchSizes).toEqual([3, 1]);
    expect(timers.armed()).toBe(0);
  });

  it('backs off exponentially between retries of a failed batch, up to the cap', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const delays: number[] = [];
    const log = new BatchingRequestLog(store, {
      batchSize: 1,
      flushIntervalMs: 1_000,
      retryBaseMs: 10,
      retryMaxMs: 40,
      schedule: immediateSchedule(delays),
    });
    log.record(makeRecord('a'));
    await vi.waitFor(() => expect(log.stats().failures).toBeGreaterThanOrEqual(5));
    store.down = false;
    await log.flush();
    expect(delays.filter((ms) => ms !== 1_000).slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
    expect(store.rows.size).toBe(1);
  });

  it('drops only the row the store rejects and writes the rest of its batch', async () => {
    const store = new SwitchableStore();
    store.rejectId = 'bad';
    const log = new BatchingRequestLog(store, { flushIntervalMs: 60_000 });
    ['a', 'bad', 'c'].forEach((id) => log.record(makeRecord(id)));
    await log.flush();
    expect([...store.rows.keys()]).toEqual(['a', 'c']);
    expect(log.stats()).toMatchObject({ written: 2, rejected: 1, depth: 0 });
  });

  it('strips bodies by default and stores them redacted when enabled', async () => {
    const body = { headers: { authorization: 'Bearer sk-live-abcdefghijkl' }, messages: [{ content: 'hi' }] };
    const plain = new SwitchableStore();
    const withBodies = new SwitchableStore();
    const off = new BatchingRequestLog(plain);
    const on = new BatchingRequestLog(withBodies, { storeBodies: true });
    off.record(makeRecord('a', { requestBody: body }));
    on.record(makeRecord('a', { requestBody: body }));
    await Promise.all([off.flush(), on.flush()]);
    expect(plain.rows.get('a')?.requestBody).toBeUndefined();
    expect(withBodies.rows.get('a')?.requestBody).toEqual({ headers: { authorization: '[redacted]' }, messages: [{ content: 'hi' }] });
  });

  it('returns from flush after its timeout while the store stays down', async () => {
    const store = new SwitchableStore();
    store.down = true;
    const log = new BatchingRequestLog(store, { flushTimeoutMs: 20, retryBaseMs: 5 });
    log.record(makeRecord('a'));
    await log.flush();
    expect(log.stats().depth).toBe(1);
    store.down = false;
    await vi.waitFor(() => expect(log.stats().written).toBe(1));
  });

  it('writes exactly N rows for N records recorded in bursts (real SQLite store)', async () => {
    const sqlite = new SqliteRequestLogStore(':memory:');
    await sqlite.migrate();
    const log = new BatchingRequestLog(sqlite, { flushIntervalMs: 1 });
    const total = 5_000;
    for (let i = 0; i < total; i += 1) {
      log.record(makeRecord(`req-${i}`, { startedAt: 1_000 + i }));
      if (i % 250 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await log.flush();
    const [row] = await sqlite.aggregate({ from: 0, to: Number.MAX_SAFE_INTEGER, groupBy: 'provider' });
    expect(row?.count).toBe(total);
    expect(log.stats()).toMatchObject({ depth: 0, written: total, dropped: 0 });
    await sqlite.close();
  });
});

describe('BatchingRequestLog memory', () => {
  it('holds no reference to records once their batch is written, so they die young instead of being promoted', async () => {
    const collect = collector();
    const written: number[] = [];
    const log = new BatchingRequestLog({ insertBatch: async (records) => void written.push(records.length) });
    // Made in a function of their own, so no variable of this test's frame keeps the last one.
    const refs = Array.from({ length: 20 }, (_, index) => {
      const record = makeRecord(`r${index}`);
      log.record(record);
      return new WeakRef(record);
    });
    await log.flush();
    expect(written).toEqual([20]);
    // WeakRef targets are kept until the current job ends; collect on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
  });
});
