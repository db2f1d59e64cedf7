import { describe, expect, it } from 'vitest';
import { poolCache } from './load-generator.js';

describe('the pools a run shares', () => {
  it('give a server restarted under the same name on a new port a pool of its own', async () => {
    const pools = poolCache();
    const first = { name: 'floor-product', origin: 'http://127.0.0.1:41001' };
    const restarted = { name: 'floor-product', origin: 'http://127.0.0.1:41002' };
    try {
      const pool = pools.pool(first, 32);
      expect(pools.pool(first, 32)).toBe(pool);
      expect(pools.pool(restarted, 32)).not.toBe(pool);
      expect(pools.pool(first, 1)).not.toBe(pool);
    } finally {
      await pools.destroy();
    }
  });
});
