import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { pageInputItems } from './page-input-items.js';

const items = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'message' }));
const ids = (page: Record<string, unknown>): unknown[] => (page.data as Array<{ id: string }>).map((item) => item.id);

describe('pageInputItems', () => {
  it('lists newest first by default and pages with after', () => {
    const first = pageInputItems(items, { limit: 2, order: 'desc' });
    expect(first).toMatchObject({ object: 'list', first_id: 'e', last_id: 'd', has_more: true });
    expect(ids(first)).toEqual(['e', 'd']);
    const third = pageInputItems(items, { limit: 2, order: 'desc', after: 'b' });
    expect(ids(third)).toEqual(['a']);
    expect(third.has_more).toBe(false);
  });

  it('lists oldest first with order asc', () => {
    expect(ids(pageInputItems(items, { limit: 20, order: 'asc' }))).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('refuses a cursor that names no item of the response', () => {
    expect(() => pageInputItems(items, { limit: 2, order: 'asc', after: 'zz' })).toThrow(GatewayError);
  });

  it('answers an empty list with null ids', () => {
    expect(pageInputItems([], { limit: 20, order: 'desc' })).toEqual({ object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  });
});
