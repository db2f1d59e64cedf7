import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResponseStore, StoredResponse } from '../../ports/response-store.js';

/** A fresh, ready store, and how to throw it away afterwards. */
export interface ResponseStoreUnderTest {
  store: ResponseStore;
  dispose(): Promise<void>;
}

function makeResponse(id: string, overrides: Partial<StoredResponse> = {}): StoredResponse {
  return {
    id,
    owner: 'key_a',
    createdAt: 1_767_225_600_000,
    status: 'completed',
    inputItems: [{ id: `msg_${id}_0`, type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi \u0000 there' }] }],
    response: { id, object: 'response', status: 'completed', output: [{ type: 'message', content: [{ type: 'output_text', text: 'ünïcode ✓' }] }] },
    ...overrides,
  };
}

/** Runs the stored-response contract against one backend; every backend must pass it unchanged. */
export function describeResponseStoreConformance(name: string, open: () => Promise<ResponseStoreUnderTest>): void {
  describe(`${name} response store conformance`, () => {
    let subject: ResponseStoreUnderTest;
    let store: ResponseStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });

    afterEach(async () => {
      await subject.dispose();
    });

    it('round-trips a response for its owner, NUL and non-ASCII text included', async () => {
      const saved = makeResponse('resp_1');
      await store.saveResponse(saved);
      expect(await store.getResponse('resp_1', 'key_a')).toStrictEqual(saved);
    });

    it('never shows or deletes a response for another owner (or for calls without a key)', async () => {
      await store.saveResponse(makeResponse('resp_2'));
      expect(await store.getResponse('resp_2', 'key_b')).toBeUndefined();
      expect(await store.getResponse('resp_2', '')).toBeUndefined();
      expect(await store.deleteResponse('resp_2', 'key_b')).toBe(false);
      expect(await store.getResponse('resp_2', 'key_a')).toBeDefined();
    });

    it('deletes once', async () => {
      await store.saveResponse(makeResponse('resp_3'));
      expect(await store.deleteResponse('resp_3', 'key_a')).toBe(true);
      expect(await store.deleteResponse('resp_3', 'key_a')).toBe(false);
      expect(await store.getResponse('resp_3', 'key_a')).toBeUndefined();
    });

    it('replaces on save, but an update only while the response is queued or in progress', async () => {
      await store.saveResponse(makeResponse('resp_4', { status: 'queued', response: { status: 'queued' } }));
      expect(await store.updateActiveResponse(makeResponse('resp_4', { status: 'in_progress', response: { status: 'in_progress' } }))).toBe(true);
      expect(await store.updateActiveResponse(makeResponse('resp_4', { status: 'cancelled', response: { status: 'cancelled' } }))).toBe(true);
      // A run that finishes after the cancel must not overwrite it.
      expect(await store.updateActiveResponse(makeResponse('resp_4', { status: 'completed', response: { status: 'completed' } }))).toBe(false);
      expect((await store.getResponse('resp_4', 'key_a'))?.response).toEqual({ status: 'cancelled' });
      expect(await store.updateActiveResponse(makeResponse('resp_missing', { status: 'completed' }))).toBe(false);
      await store.saveResponse(makeResponse('resp_4', { status: 'completed' }));
      expect((await store.getResponse('resp_4', 'key_a'))?.status).toBe('completed');
    });

    it('prunes responses created before a time', async () => {
      await store.saveResponse(makeResponse('old', { createdAt: 1_000 }));
      await store.saveResponse(makeResponse('new', { createdAt: 5_000 }));
      expect(await store.pruneResponses(2_000)).toBe(1);
      expect(await store.getResponse('old', 'key_a')).toBeUndefined();
      expect(await store.getResponse('new', 'key_a')).toBeDefined();
    });
  });
}
