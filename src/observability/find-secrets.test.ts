import { describe, expect, it } from 'vitest';
import { findSecretMarkers } from './find-secrets.js';

const KEY = 'sk-test-MARKER-0123456789abcdef';

describe('findSecretMarkers', () => {
  it('returns nothing when no line holds a marker', () => {
    const lines = ['{"level":30,"reqId":"req_1","msg":"request"}', '{"authorization":"[Redacted]"}'];
    expect(findSecretMarkers(lines, [KEY, 'AIzaMARKER'])).toEqual([]);
  });

  it('reports each leaking line by number without echoing the secret', () => {
    const lines = ['ok', `{"headers":{"authorization":"Bearer ${KEY}"}}`, 'ok', `upstream said ${KEY}`];
    const findings = findSecretMarkers(lines, [KEY]);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^line 2: /);
    expect(findings[1]).toMatch(/^line 4: /);
    expect(findings.join('\n')).not.toContain(KEY);
  });

  it('finds markers in their JSON-escaped form', () => {
    const marker = 'key"with\\quote';
    expect(findSecretMarkers([JSON.stringify({ key: marker })], [marker])).toHaveLength(1);
  });

  it('ignores empty markers, which would otherwise match every line', () => {
    expect(findSecretMarkers(['anything'], [''])).toEqual([]);
  });
});
