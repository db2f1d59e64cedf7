import { describe, expect, it } from 'vitest';
import type { RequestLogRecord } from '../ports/request-log.js';
import { RecentRequests } from './recent-requests.js';

function record(id: string, extra: Partial<RequestLogRecord> = {}): RequestLogRecord {
  return { id, startedAt: 0, clientFormat: 'openai-chat', stream: false, status: 200, attempts: [], latencyMs: 12.5, warnings: [], ...extra };
}

describe('RecentRequests', () => {
  it('answers what feedback needs about a remembered request, and nothing for an unknown id', () => {
    const recent = new RecentRequests();
    recent.remember(record('a', { requestedModel: 'fast', provider: 'up', model: 'm1', taskClass: 'code', costUsd: 0.25, status: 201, keyId: 'key_1' }));
    recent.remember(record('b', { status: 502, latencyMs: 7 }));
    expect(recent.get('a')).toEqual({ id: 'a', status: 201, requestedModel: 'fast', provider: 'up', model: 'm1', taskClass: 'code', latencyMs: 12.5, costUsd: 0.25, keyId: 'key_1' });
    expect(recent.get('b')).toEqual({ id: 'b', status: 502, latencyMs: 7 });
    expect(recent.get('b')).not.toHaveProperty('costUsd');
    expect(recent.get('c')).toBeUndefined();
  });

  it('keeps a zero cost apart from no cost', () => {
    const recent = new RecentRequests();
    recent.remember(record('free', { costUsd: 0 }));
    expect(recent.get('free')?.costUsd).toBe(0);
  });

  it('forgets the oldest request past its capacity, across several turns of the ring', () => {
    const recent = new RecentRequests(3);
    for (let index = 0; index < 10; index += 1) recent.remember(record(`r${index}`, { latencyMs: index, requestedModel: index % 2 === 0 ? 'even' : 'odd' }));
    expect(recent.get('r6')).toBeUndefined();
    expect(recent.get('r7')).toMatchObject({ latencyMs: 7, requestedModel: 'odd' });
    expect(recent.get('r8')).toMatchObject({ latencyMs: 8, requestedModel: 'even' });
    expect(recent.get('r9')).toMatchObject({ latencyMs: 9, requestedModel: 'odd' });
  });

  it('answers the newest of two records with one id', () => {
    const recent = new RecentRequests();
    recent.remember(record('same', { status: 500 }));
    recent.remember(record('same', { status: 200 }));
    expect(recent.get('same')?.status).toBe(200);
  });
});
