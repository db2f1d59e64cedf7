import type { ResponseStore, StoredResponse } from '../../ports/response-store.js';

interface PendingWrite {
  response: StoredResponse;
  written: Promise<void>;
}

/**
 * Saves responses behind the request: `saveResponse` returns at once and the row is written in the background, while
 * reads on this replica see the pending response (read-your-writes), and updates and deletes of it wait for its
 * write. A failed write is reported to `onError` and the response is then gone; other replicas see a response once
 * its write lands (milliseconds on a healthy store).
 */
export class WriteBehindResponseStore implements ResponseStore {
  private readonly pending = new Map<string, PendingWrite>();

  constructor(
    private readonly store: ResponseStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  saveResponse(response: StoredResponse): Promise<void> {
    const before = this.pending.get(response.id)?.written ?? Promise.resolve();
    const entry: PendingWrite = { response, written: Promise.resolve() };
    entry.written = before
      .then(() => this.store.saveResponse(response))
      .catch(this.onError)
      .finally(() => {
        if (this.pending.get(response.id) === entry) this.pending.delete(response.id);
      });
    this.pending.set(response.id, entry);
    return Promise.resolve();
  }

  async updateActiveResponse(response: StoredResponse): Promise<boolean> {
    await this.pending.get(response.id)?.written;
    return this.store.updateActiveResponse(response);
  }

  async getResponse(id: string, owner: string): Promise<StoredResponse | undefined> {
    const pending = this.pending.get(id)?.response;
    if (pending) return pending.owner === owner ? structuredClone(pending) : undefined;
    return this.store.getResponse(id, owner);
  }

  async deleteResponse(id: string, owner: string): Promise<boolean> {
    await this.pending.get(id)?.written;
    return this.store.deleteResponse(id, owner);
  }

  pruneResponses(olderThanMs: number): Promise<number> {
    return this.store.pruneResponses(olderThanMs);
  }
}
