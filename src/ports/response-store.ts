/** Where a stored Responses API response is in its life; the first two are the only ones a background run may leave. */
export type StoredResponseStatus = 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled';

/** A Responses API response kept for `GET /v1/responses/{id}`, its input items and `previous_response_id`. */
export interface StoredResponse {
  /** The `resp_…` id the client was given. */
  id: string;
  /** The virtual key id that created it; `''` for calls made without a key. Only the same owner may read it. */
  owner: string;
  /** Epoch ms when it was created. */
  createdAt: number;
  status: StoredResponseStatus;
  /** Every input item the response was generated from (a chain's earlier items first), each with its `id`. */
  inputItems: Array<Record<string, unknown>>;
  /** The Response object as the client last saw it (its `status` agrees with `status`). */
  response: Record<string, unknown>;
}

/** Durable storage of Responses API responses (the request-log store by default, so replicas share them). */
export interface ResponseStore {
  /** Stores a response, replacing one stored under the same id. */
  saveResponse(response: StoredResponse): Promise<void>;
  /** Replaces a stored response only while it is `queued` or `in_progress` (same owner); false when it was not. */
  updateActiveResponse(response: StoredResponse): Promise<boolean>;
  /** The response with this id if `owner` created it. */
  getResponse(id: string, owner: string): Promise<StoredResponse | undefined>;
  /** Deletes the response with this id if `owner` created it; false when there was none. */
  deleteResponse(id: string, owner: string): Promise<boolean>;
  /** Deletes responses created before `olderThanMs` (epoch ms); resolves to the number deleted. */
  pruneResponses(olderThanMs: number): Promise<number>;
}
