import { GatewayError, boundText } from '../../core/index.js';

type Item = Record<string, unknown>;

/** A page request of `GET /v1/responses/{id}/input_items`, as OpenAI's cursor pagination defines it. */
export interface InputItemsPageQuery {
  /** 1..100, default 20. */
  limit: number;
  /** `desc` (the default) lists the newest item first. */
  order: 'asc' | 'desc';
  /** The id of the last item of the previous page. */
  after?: string;
}

/** One page of a stored response's input items in OpenAI's list shape. */
export function pageInputItems(items: ReadonlyArray<Item>, query: InputItemsPageQuery): Record<string, unknown> {
  const ordered = query.order === 'asc' ? [...items] : [...items].reverse();
  let start = 0;
  if (query.after !== undefined) {
    const at = ordered.findIndex((item) => item.id === query.after);
    if (at < 0) throw new GatewayError('invalid_request', `Invalid value for after: no input item with id '${boundText(query.after, 200)}' in this response`, { param: 'after' });
    start = at + 1;
  }
  const data = ordered.slice(start, start + query.limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + query.limit < ordered.length,
  };
}
