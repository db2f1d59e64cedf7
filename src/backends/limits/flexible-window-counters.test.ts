import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FlexibleWindowCounters } from './flexible-window-counters.js';

describe('FlexibleWindowCounters', () => {
  it('takes points while they fit and refuses without taking the points that do not', () => {
    const counters = new FlexibleWindowCounters();
    const bucket = { id: 'key:a:tpm', limit: 100, windowMs: 60_000 };
    expect(counters.consume(bucket, 60)).toMatchObject({ allowed: true, remaining: 40 });
    expect(counters.consume(bucket, 50)).toMatchObject({ allowed: false, remaining: 40 });
    expect(counters.consume(bucket, 40)).toMatchObject({ allowed: true, remaining: 0 });
    expect(counters.peek(bucket)).toMatchObject({ allowed: false, remaining: 0 });
  });

  it('settles a reservation both ways and keeps buckets apart', () => {
    const counters = new FlexibleWindowCounters();
    const tokens = { id: 'key:a:tpm', limit: 100, windowMs: 60_000 };
    const other = { id: 'key:b:tpm', limit: 100, windowMs: 60_000 };
    counters.consume(tokens, 80);
    counters.adjust(tokens, -50);
    expect(counters.peek(tokens).remaining).toBe(70);
    counters.adjust(tokens, 20);
    expect(counters.peek(tokens).remaining).toBe(50);
    expect(counters.peek(other)).toEqual({ allowed: true, remaining: 100, resetMs: 60_000 });
  });

  it('starts a fresh window once the last one ended', async () => {
    const counters = new FlexibleWindowCounters();
    const bucket = { id: 'key:a:rpm', limit: 1, windowMs: 40 };
    expect(counters.consume(bucket, 1).allowed).toBe(true);
    expect(counters.consume(bucket, 1).allowed).toBe(false);
    await sleep(60);
    expect(counters.consume(bucket, 1).allowed).toBe(true);
  });
});
