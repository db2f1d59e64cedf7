import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { CancelSource } from './cancel-source.js';

describe('CancelSource', () => {
  it('keeps the first reason and tells its listeners once', () => {
    const source = new CancelSource();
    let heard = 0;
    source.on('abort', () => heard++);
    source.abort('first');
    source.abort('second');
    expect(source.aborted).toBe(true);
    expect(source.reason).toBe('first');
    expect(heard).toBe(1);
  });

  it('sleeps the full time when left alone, and wakes at once with false when cancelled', async () => {
    const source = new CancelSource();
    expect(await source.sleep(1)).toBe(true);
    const waiting = source.sleep(60_000);
    source.abort('stop');
    expect(await waiting).toBe(false);
    expect(await source.sleep(60_000)).toBe(false);
    expect(source.listenerCount('abort')).toBe(0);
  });

  it('offers a standard AbortSignal that follows it, even when asked for after the abort', () => {
    const early = new CancelSource();
    const signal = early.abortSignal;
    early.abort('gone');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');
    const late = new CancelSource();
    late.abort('late');
    expect(late.abortSignal.reason).toBe('late');
  });

  it('follows a caller\'s AbortSignal, whether it aborts later or had already aborted', () => {
    const controller = new AbortController();
    const following = CancelSource.following(controller.signal);
    expect(following.aborted).toBe(false);
    controller.abort('caller');
    expect(following.reason).toBe('caller');
    expect(CancelSource.following(AbortSignal.abort('done')).aborted).toBe(true);
    expect(CancelSource.following(undefined).aborted).toBe(false);
  });

  it('lets go of a long-lived caller signal once the work is done', () => {
    const controller = new AbortController();
    const first = CancelSource.following(controller.signal);
    first.unfollow();
    const second = CancelSource.following(controller.signal);
    controller.abort('late');
    expect(first.aborted).toBe(false);
    expect(second.reason).toBe('late');
  });

  it('aborts an undici request in flight, so the upstream sees its connection close', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      req.socket.once('close', upstreamClosed);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const pool = new Pool(origin);
    try {
      const source = new CancelSource();
      const response = await pool.request({ origin, path: '/', method: 'GET', signal: source });
      const reading = response.body.text();
      source.abort(new Error('hedge lost'));
      await expect(reading).rejects.toThrow('hedge lost');
      await closed;
    } finally {
      await pool.close();
      server.close();
    }
  });
});
