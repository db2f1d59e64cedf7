import type { ResponseStore, StoredResponse } from '../../ports/response-store.js';

/** Structured copies in and out, so a caller that edits what it saved or read never changes what is stored. */
const copy = (response: StoredResponse): StoredResponse => structuredClone(response);

/**
 * Stored responses in this process's memory: what a gateway without a request-log store (`storage.url` unset in
 * embedded use and tests) keeps. Lost on restart and not shared between replicas; bounded by `maxResponses`, the
 * oldest going first.
 */
export class MemoryResponseStore implements ResponseStore {
  private readonly responses = new Map<string, StoredResponse>();

  constructor(private readonly maxResponses = 10_000) {}

  async saveResponse(response: StoredResponse): Promise<void> {
    this.responses.delete(response.id);
    this.responses.set(response.id, copy(response));
    for (const id of this.responses.keys()) {
      if (this.responses.size <= this.maxResponses) break;
      this.responses.delete(id);
    }
  }

  async updateActiveResponse(response: StoredResponse): Promise<boolean> {
    const current = this.responses.get(response.id);
    if (current?.owner !== response.owner || (current.status !== 'queued' && current.status !== 'in_progress')) return false;
    this.responses.set(response.id, { ...copy(response), createdAt: current.createdAt });
    return true;
  }

  async getResponse(id: string, owner: string): Promise<StoredResponse | undefined> {
    const response = this.responses.get(id);
    return response?.owner === owner ? copy(response) : undefined;
  }

  async deleteResponse(id: string, owner: string): Promise<boolean> {
    if (this.responses.get(id)?.owner !== owner) return false;
    return this.responses.delete(id);
  }

  async pruneResponses(olderThanMs: number): Promise<number> {
    let deleted = 0;
    for (const [id, response] of this.responses) {
      if (response.createdAt < olderThanMs && this.responses.delete(id)) deleted += 1;
    }
    return deleted;
  }
}
