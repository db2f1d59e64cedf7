import type { StoredResponse, StoredResponseStatus } from '../../ports/response-store.js';

/** Columns of the stored_responses table, in insert order. */
export const STORED_RESPONSE_COLUMNS = ['id', 'owner', 'created_at', 'status', 'input_items', 'response'] as const;

/** The statuses a background run may still replace, as an SQL list. */
export const ACTIVE_STATUSES_SQL = "('queued', 'in_progress')";

/** A stored response as column values (JSON as text in both backends: jsonb would reject the `\u0000` escape). */
export function storedResponseValues(response: StoredResponse): Array<string | number> {
  return [response.id, response.owner, response.createdAt, response.status, JSON.stringify(response.inputItems), JSON.stringify(response.response)];
}

/** Rebuilds a stored response from a row of either backend. */
export function storedResponseFromRow(row: Record<string, unknown>): StoredResponse {
  return {
    id: String(row.id),
    owner: String(row.owner),
    createdAt: Number(row.created_at),
    status: String(row.status) as StoredResponseStatus,
    inputItems: JSON.parse(String(row.input_items)) as StoredResponse['inputItems'],
    response: JSON.parse(String(row.response)) as StoredResponse['response'],
  };
}
