import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchFileStore, BatchJob, BatchJobStore, BatchLine, StoredFile } from '../../ports/batch-store.js';

/** A fresh, ready store, and how to throw it away afterwards. */
export interface BatchStoreUnderTest {
  store: BatchFileStore & BatchJobStore;
  dispose(): Promise<void>;
}

const T0 = 1_767_225_600_000;

function makeFile(id: string, overrides: Partial<StoredFile> = {}): StoredFile {
  return { id, purpose: 'batch', filename: `${id}.jsonl`, bytes: 3, createdAt: T0, ...overrides };
}

function makeJob(id: string, overrides: Partial<BatchJob> = {}): BatchJob {
  return {
    id,
    format: 'openai',
    endpoint: '/v1/chat/completions',
    inputFileId: 'file-in',
    completionWindow: '24h',
    status: 'in_progress',
    metadata: { team: 'ünïcode ✓' },
    createdAt: T0,
    expiresAt: T0 + 86_400_000,
    inProgressAt: T0,
    delegate: false,
    ...overrides,
  };
}

/** `count` pending lines of `jobId`, each with a chat request. */
function makeLines(jobId: string, count: number): BatchLine[] {
  return Array.from({ length: count }, (_, index) => ({
    jobId,
    index,
    customId: `c-${index}`,
    state: 'pending' as const,
    tries: 0,
    request: { method: 'POST', url: '/v1/chat/completions', body: { model: 'm', messages: [{ role: 'user', content: `line ${index}` }] } },
  }));
}

function indexes(lines: readonly BatchLine[]): number[] {
  return lines.map((line) => line.index);
}

/** Runs the batch store contract (files, jobs, line claims and leases, progress, resuming) against one backend. */
export function describeBatchStoreConformance(name: string, open: () => Promise<BatchStoreUnderTest>): void {
  describe(`${name} batch store conformance`, () => {
    let subject: BatchStoreUnderTest;
    let store: BatchFileStore & BatchJobStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    describe('files', () => {
      it('round-trips a file and its bytes, NUL and non-UTF-8 bytes included', async () => {
        const content = Buffer.from([0x7b, 0x00, 0xff, 0x0a, 0xe2, 0x9c, 0x93]);
        await store.saveFile(makeFile('file-a', { bytes: content.length, keyId: 'key_a' }), content);
        expect(await store.getFile('file-a')).toStrictEqual(makeFile('file-a', { bytes: content.length, keyId: 'key_a' }));
        expect(await store.fileContent('file-a')).toStrictEqual(content);
        expect(await store.getFile('file-missing')).toBeUndefined();
        expect(await store.fileContent('file-missing')).toBeUndefined();
      });

      it('keeps the first file saved under an id (a finaliser that runs again writes nothing new)', async () => {
        await store.saveFile(makeFile('file-out'), Buffer.from('one'));
        await store.saveFile(makeFile('file-out', { filename: 'other' }), Buffer.from('two'));
        expect((await store.getFile('file-out'))?.filename).toBe('file-out.jsonl');
        expect((await store.fileContent('file-out'))?.toString()).toBe('one');
      });

      it('lists newest first, by purpose and key, a page after a given id', async () => {
        await store.saveFile(makeFile('file-1', { createdAt: T0 + 1, keyId: 'key_a' }), Buffer.from('1'));
        await store.saveFile(makeFile('file-2', { createdAt: T0 + 2 }), Buffer.from('2'));
        await store.saveFile(makeFile('file-3', { createdAt: T0 + 3, purpose: 'batch_output', keyId: 'key_a' }), Buffer.from('3'));
        const ids = async (options: Parameters<BatchFileStore['listFiles']>[0]): Promise<string[]> => (await store.listFiles(options)).map((file) => file.id);
        expect(await ids({ limit: 10 })).toEqual(['file-3', 'file-2', 'file-1']);
        expect(await ids({ limit: 2 })).toEqual(['file-3', 'file-2']);
        expect(await ids({ limit: 10, after: 'file-3' })).toEqual(['file-2', 'file-1']);
        expect(await ids({ limit: 10, purpose: 'batch' })).toEqual(['file-2', 'file-1']);
        expect(await ids({ limit: 10, keyId: 'key_a' })).toEqual(['file-3', 'file-1']);
      });

      it('deletes once', async () => {
        await store.saveFile(makeFile('file-d'), Buffer.from('x'));
        expect(await store.deleteFile('file-d')).toBe(true);
        expect(await store.deleteFile('file-d')).toBe(false);
        expect(await store.getFile('file-d')).toBeUndefined();
      });
    });

    describe('jobs', () => {
      it('round-trips a job, its metadata and optional fields', async () => {
        const job = makeJob('batch_a', { keyId: 'key_a', costCapUsd: 1.5, delegated: { provider: 'oai', model: 'gpt', providerJobId: 'b_1' } });
        await store.createJob(job, makeLines('batch_a', 2));
        expect(await store.getJob('batch_a')).toStrictEqual(job);
        expect(await store.getJob('batch_missing')).toBeUndefined();
      });

      it('refuses a second job under the same id and leaves the first whole', async () => {
        await store.createJob(makeJob('batch_dup'), makeLines('batch_dup', 2));
        await expect(store.createJob(makeJob('batch_dup', { endpoint: '/v1/embeddings' }), makeLines('batch_dup', 5))).rejects.toThrow();
        expect((await store.getJob('batch_dup'))?.endpoint).toBe('/v1/chat/completions');
        expect((await store.progress('batch_dup')).total).toBe(2);
      });

      it('lists newest first, by format, key and status, a page after a given id', async () => {
        await store.createJob(makeJob('batch_1', { createdAt: T0 + 1, keyId: 'key_a' }), []);
        await store.createJob(makeJob('msgbatch_2', { createdAt: T0 + 2, format: 'anthropic', status: 'completed' }), []);
        await store.createJob(makeJob('batch_3', { createdAt: T0 + 3, keyId: 'key_a', status: 'cancelling' }), []);
        const ids = async (options: Parameters<BatchJobStore['listJobs']>[0]): Promise<string[]> => (await store.listJobs(options)).map((job) => job.id);
        expect(await ids({ limit: 10 })).toEqual(['batch_3', 'msgbatch_2', 'batch_1']);
        expect(await ids({ limit: 1, after: 'batch_3' })).toEqual(['msgbatch_2']);
        expect(await ids({ limit: 10, format: 'openai' })).toEqual(['batch_3', 'batch_1']);
        expect(await ids({ limit: 10, keyId: 'key_a' })).toEqual(['batch_3', 'batch_1']);
        expect(await ids({ limit: 10, statuses: ['in_progress', 'cancelling'] })).toEqual(['batch_3', 'batch_1']);
        expect(await ids({ limit: 10, statuses: [] })).toEqual([]);
      });

      it('updates only from the given statuses, and an undefined field removes it', async () => {
        await store.createJob(makeJob('batch_u', { pausedReason: 'cap' }), []);
        expect(await store.updateJob('batch_u', { status: 'completed' }, ['finalizing'])).toBe(false);
        expect(await store.updateJob('batch_u', { status: 'paused', pausedReason: 'budget' }, ['in_progress'])).toBe(true);
        expect(await store.getJob('batch_u')).toMatchObject({ status: 'paused', pausedReason: 'budget' });
        expect(await store.listJobs({ limit: 10, statuses: ['paused'] })).toHaveLength(1);
        expect(await store.updateJob('batch_u', { status: 'in_progress', pausedReason: undefined, costCapUsd: 9 })).toBe(true);
        const job = await store.getJob('batch_u');
        expect(job).toMatchObject({ status: 'in_progress', costCapUsd: 9 });
        expect(job).not.toHaveProperty('pausedReason');
        expect(await store.updateJob('batch_missing', { status: 'failed' })).toBe(false);
      });
    });

    describe('line claims and leases', () => {
      it('claims pending lines in index order up to the limit, starting a try on each', async () => {
        await store.createJob(makeJob('batch_c'), makeLines('batch_c', 5));
        const claimed = await store.claimLines('batch_c', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 3 });
        expect(indexes(claimed)).toEqual([0, 1, 2]);
        expect(claimed[0]).toStrictEqual({ ...makeLines('batch_c', 1)[0], state: 'running', tries: 1 });
        expect(indexes(await store.claimLines('batch_c', { owner: 'r2', now: T0, leaseUntil: T0 + 1000, limit: 10 }))).toEqual([3, 4]);
        expect(await store.claimLines('batch_c', { owner: 'r3', now: T0 + 999, leaseUntil: T0 + 2000, limit: 10 })).toEqual([]);
      });

      it('claims only the given indexes when asked', async () => {
        await store.createJob(makeJob('batch_i'), makeLines('batch_i', 6));
        expect(indexes(await store.claimLines('batch_i', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 10, indexes: [4, 1] }))).toEqual([1, 4]);
        expect(await store.claimLines('batch_i', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 10, indexes: [] })).toEqual([]);
      });

      it('never claims lines of another job, nor finished or malformed (already failed) lines', async () => {
        const lines = makeLines('batch_f', 3);
        lines[1] = { jobId: 'batch_f', index: 1, customId: 'c-1', state: 'failed', tries: 0, result: { error: 'malformed' } };
        await store.createJob(makeJob('batch_f'), lines);
        await store.createJob(makeJob('batch_other'), makeLines('batch_other', 3));
        expect(indexes(await store.claimLines('batch_f', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 10 }))).toEqual([0, 2]);
        await store.finishLine('batch_f', 0, { state: 'done', result: { ok: true }, at: T0 + 1 });
        expect(await store.claimLines('batch_f', { owner: 'r2', now: T0 + 5000, leaseUntil: T0 + 6000, limit: 10 })).toHaveLength(1);
      });

      it('hands a line whose lease expired to another owner, with its try counted again', async () => {
        await store.createJob(makeJob('batch_l'), makeLines('batch_l', 2));
        await store.claimLines('batch_l', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 2 });
        expect(await store.claimLines('batch_l', { owner: 'r2', now: T0 + 1000, leaseUntil: T0 + 2000, limit: 2 })).toEqual([]);
        const taken = await store.claimLines('batch_l', { owner: 'r2', now: T0 + 1001, leaseUntil: T0 + 2000, limit: 2 });
        expect(taken.map((line) => [line.index, line.tries])).toEqual([
          [0, 2],
          [1, 2],
        ]);
      });

      it('renews only the leases its owner still holds on running lines, keeping them from others', async () => {
        await store.createJob(makeJob('batch_h'), makeLines('batch_h', 4));
        await store.claimLines('batch_h', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 3 });
        await store.finishLine('batch_h', 2, { state: 'done', result: {}, at: T0 + 1 });
        const held = [0, 1, 2, 3].map((index) => ({ jobId: 'batch_h', index }));
        expect(await store.renewLeases('r2', held, T0 + 5000)).toBe(0);
        expect(await store.renewLeases('r1', [...held, { jobId: 'batch_other', index: 0 }], T0 + 5000)).toBe(2);
        expect(await store.renewLeases('r1', [], T0 + 5000)).toBe(0);
        expect(indexes(await store.claimLines('batch_h', { owner: 'r2', now: T0 + 4999, leaseUntil: T0 + 9000, limit: 10 }))).toEqual([3]);
        expect(indexes(await store.claimLines('batch_h', { owner: 'r2', now: T0 + 5001, leaseUntil: T0 + 9000, limit: 10 }))).toEqual([0, 1]);
      });

      it('lists the running lines whose lease ended, and only those', async () => {
        await store.createJob(makeJob('batch_x'), makeLines('batch_x', 5));
        await store.claimLines('batch_x', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 3 });
        await store.claimLines('batch_x', { owner: 'r2', now: T0, leaseUntil: T0 + 9000, limit: 1 });
        await store.finishLine('batch_x', 1, { state: 'done', result: {}, at: T0 + 1 });
        expect(await store.expiredLines('batch_x', T0 + 1000, 10)).toEqual([]);
        expect(await store.expiredLines('batch_x', T0 + 1001, 10)).toEqual([0, 2]);
        expect(await store.expiredLines('batch_x', T0 + 1001, 1)).toEqual([0]);
        expect(await store.expiredLines('batch_x', T0 + 9001, 10)).toEqual([0, 2, 3]);
        expect(await store.expiredLines('batch_none', T0 + 9001, 10)).toEqual([]);
      });

      it('gives concurrent claimers disjoint lines', async () => {
        await store.createJob(makeJob('batch_race'), makeLines('batch_race', 60));
        const claims = await Promise.all(
          Array.from({ length: 6 }, (_, n) => store.claimLines('batch_race', { owner: `r${n}`, now: T0, leaseUntil: T0 + 1000, limit: 15 })),
        );
        const all = claims.flatMap(indexes);
        expect(new Set(all).size).toBe(all.length);
        expect(all.length).toBeLessThanOrEqual(60);
        const rest = await store.claimLines('batch_race', { owner: 'late', now: T0, leaseUntil: T0 + 1000, limit: 100 });
        expect(all.length + rest.length).toBe(60);
      });
    });

    describe('finishing lines', () => {
      it('keeps the first result of a line and reports whether a call changed it', async () => {
        await store.createJob(makeJob('batch_w'), makeLines('batch_w', 1));
        await store.claimLines('batch_w', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 1 });
        expect(await store.finishLine('batch_w', 0, { state: 'done', result: { first: 'ünïcode ✓' }, costUsd: 0.25, at: T0 + 10 })).toBe(true);
        expect(await store.finishLine('batch_w', 0, { state: 'failed', result: { second: true }, at: T0 + 20 })).toBe(false);
        expect(await store.finishLine('batch_w', 0, { state: 'pending', at: T0 + 30 })).toBe(false);
        expect(await store.lineAt('batch_w', 0)).toMatchObject({ state: 'done', result: { first: 'ünïcode ✓' }, costUsd: 0.25, tries: 1 });
        expect(await store.lineAt('batch_w', 7)).toBeUndefined();
      });

      it('gives a line back pending, claimable at once by anyone', async () => {
        await store.createJob(makeJob('batch_p'), makeLines('batch_p', 1));
        await store.claimLines('batch_p', { owner: 'r1', now: T0, leaseUntil: T0 + 60_000, limit: 1 });
        expect(await store.finishLine('batch_p', 0, { state: 'pending', at: T0 + 1 })).toBe(true);
        expect(indexes(await store.claimLines('batch_p', { owner: 'r2', now: T0 + 2, leaseUntil: T0 + 1000, limit: 1 }))).toEqual([0]);
      });

      it('reads finished lines in index order from an index, a page at a time', async () => {
        await store.createJob(makeJob('batch_r'), makeLines('batch_r', 5));
        await store.claimLines('batch_r', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 5 });
        for (const index of [3, 0, 4]) await store.finishLine('batch_r', index, { state: index === 4 ? 'failed' : 'done', result: { index }, at: T0 + index });
        expect(indexes(await store.finishedLines('batch_r', 0, 10))).toEqual([0, 3, 4]);
        expect(indexes(await store.finishedLines('batch_r', 1, 1))).toEqual([3]);
        expect((await store.finishedLines('batch_r', 4, 10))[0]).toMatchObject({ customId: 'c-4', state: 'failed', result: { index: 4 } });
      });
    });

    describe('progress', () => {
      it('counts lines by state with the cost so far and the first and latest finish', async () => {
        expect(await store.progress('batch_none')).toStrictEqual({ total: 0, pending: 0, running: 0, done: 0, failed: 0, costUsd: 0 });
        await store.createJob(makeJob('batch_g'), makeLines('batch_g', 6));
        await store.claimLines('batch_g', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 4 });
        await store.finishLine('batch_g', 0, { state: 'done', result: {}, costUsd: 0.125, at: T0 + 100 });
        await store.finishLine('batch_g', 1, { state: 'done', result: {}, costUsd: 0.25, at: T0 + 300 });
        await store.finishLine('batch_g', 2, { state: 'failed', result: {}, at: T0 + 200 });
        expect(await store.progress('batch_g')).toStrictEqual({
          total: 6,
          pending: 2,
          running: 1,
          done: 2,
          failed: 1,
          costUsd: 0.375,
          firstFinishedAt: T0 + 100,
          lastFinishedAt: T0 + 300,
        });
      });
    });

    describe('resuming', () => {
      it('makes the running lines of a gone owner claimable at once, and only theirs', async () => {
        await store.createJob(makeJob('batch_o'), makeLines('batch_o', 4));
        await store.claimLines('batch_o', { owner: 'host:1', now: T0, leaseUntil: T0 + 60_000, limit: 2 });
        await store.claimLines('batch_o', { owner: 'host:2', now: T0, leaseUntil: T0 + 60_000, limit: 1 });
        await store.finishLine('batch_o', 0, { state: 'done', result: {}, at: T0 + 1 });
        expect(await store.releaseOrphans((owner) => owner === 'host:1')).toBe(1);
        expect(indexes(await store.claimLines('batch_o', { owner: 'host:3', now: T0 + 2, leaseUntil: T0 + 60_000, limit: 10 }))).toEqual([1, 3]);
        expect(await store.releaseOrphans(() => false)).toBe(0);
        expect(await store.lineAt('batch_o', 0)).toMatchObject({ state: 'done', tries: 1 });
      });

      it('resumes a job with its unfinished lines only, finished ones and their cost kept', async () => {
        await store.createJob(makeJob('batch_s'), makeLines('batch_s', 4));
        await store.claimLines('batch_s', { owner: 'r1', now: T0, leaseUntil: T0 + 1000, limit: 2 });
        await store.finishLine('batch_s', 0, { state: 'done', result: { kept: true }, costUsd: 0.5, at: T0 + 5 });
        expect(await store.progress('batch_s')).toMatchObject({ total: 4, pending: 2, running: 1, done: 1, costUsd: 0.5 });
        const resumed = await store.claimLines('batch_s', { owner: 'r2', now: T0 + 1001, leaseUntil: T0 + 2000, limit: 10 });
        expect(indexes(resumed)).toEqual([1, 2, 3]);
        expect(await store.lineAt('batch_s', 0)).toMatchObject({ state: 'done', result: { kept: true }, tries: 1 });
      });
    });
  });
}
