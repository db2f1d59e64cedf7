import { describe, expect, it } from 'vitest';
import { loadEffectiveConfig } from './resolve-config-source.js';

describe('loadEffectiveConfig', () => {
  it('applies PORT, HOST and LOG_LEVEL over the built-in default', async () => {
    const result = await loadEffectiveConfig(undefined, { PORT: '4123', HOST: '0.0.0.0', LOG_LEVEL: 'debug' }, '/nonexistent');
    expect(result.config?.server).toMatchObject({ port: 4123, host: '0.0.0.0' });
    expect(result.config?.logLevel).toBe('debug');
  });

  it('rejects environment overrides it cannot use, naming each variable', async () => {
    const result = await loadEffectiveConfig(undefined, { PORT: 'eighty', LOG_LEVEL: 'loud' }, '/nonexistent');
    expect(result.config).toBeUndefined();
    expect(result.issues.map((i) => i.path)).toEqual(['PORT', 'LOG_LEVEL']);
  });

  it('takes REDIS_URL as the shared state when the config keeps the in-memory default', async () => {
    const result = await loadEffectiveConfig(undefined, { REDIS_URL: 'redis://127.0.0.1:6379' }, '/nonexistent');
    expect(result.config?.state.url).toBe('redis://127.0.0.1:6379');
    const ignored = await loadEffectiveConfig(undefined, { REDIS_URL: 'memcached://x' }, '/nonexistent');
    expect(ignored.config?.state.url).toBe('memory://');
  });
});
