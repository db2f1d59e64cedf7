import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDashboard } from './serve-dashboard.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('serving the dashboard at /ui', () => {
  it('serves the built page with a strict content security policy, never cached, and hashed assets for good', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-ui-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const app = Fastify();
    registerDashboard(app, `${dir}/`);
    const redirect = await app.inject({ url: '/ui' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/ui/');
    const page = await app.inject({ url: '/ui/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ url: '/ui/assets/index-abc.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await app.inject({ url: '/ui/../package.json' })).statusCode).not.toBe(200);
    await app.close();
  });

  it('says how to build the dashboard when ui/dist is missing', async () => {
    const app = Fastify();
    registerDashboard(app, join(tmpdir(), 'switchyard-no-such-ui-dist/'));
    const page = await app.inject({ url: '/ui/' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('run `npm run build`');
    await app.close();
  });
});
