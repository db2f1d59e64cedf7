import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UPSTREAM_SECRET_MARKERS } from './secret-markers.js';

const testRoot = fileURLToPath(new URL('..', import.meta.url));
const KEY_LITERAL = /['"`](sk-[\w-]{6,}|AIza[\w-]{6,})['"`]/g;
const CLIENT_KEY = /apiKey:\s*['"`]([^'"`]+)['"`]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('UPSTREAM_SECRET_MARKERS', () => {
  it('lists every key-shaped literal the test suites configure, except keys SDK clients send (captured at run time)', () => {
    const missing: string[] = [];
    for (const file of sourceFiles(testRoot)) {
      const text = readFileSync(file, 'utf8');
      const clientKeys = new Set([...text.matchAll(CLIENT_KEY)].map((m) => m[1]));
      for (const [, key] of text.matchAll(KEY_LITERAL)) {
        if (key !== undefined && !clientKeys.has(key) && !UPSTREAM_SECRET_MARKERS.includes(key)) missing.push(`${relative(testRoot, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
