import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamPools } from './upstream-pools.js';

let pools: UpstreamPools | undefined;
let server: Server | undefined;

afterEach(async () => {
  await pools?.close();
  pools = undefined;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('UpstreamPools', () => {
  it('reuses one pool per origin and connect timeout, whichever string object names the origin', () => {
    pools = new UpstreamPools({ connectTimeoutMs: 5_000 });
    const first = pools.get('http://127.0.0.1:8080');
    expect(pools.get(['http://127.0.0.1', '8080'].join(':'))).toBe(first);
    expect(pools.get('http://127.0.0.1:8080', 5_000)).toBe(first);
    expect(pools.get('http://127.0.0.1:8080', 1_000)).not.toBe(first);
    expect(pools.get('http://127.0.0.1:8081')).not.toBe(first);
  });

  it('lists every pool under its origin, and closes them all', async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    pools = new UpstreamPools();
    const response = await pools.get(origin, 1_000).request({ path: '/', method: 'GET' });
    await response.body.text();
    pools.get(origin, 2_000);
    const stats = pools.stats();
    expect(stats.map((entry) => entry.origin)).toEqual([origin, origin]);
    expect(stats[0]?.connected).toBe(1);
    await pools.close();
    expect(pools.stats()).toEqual([]);
  });
});
