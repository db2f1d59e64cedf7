import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { credentialMarkers, credentialsOf, scanCapturedLogs } from './captured-logs.js';

// Planted only in this test's own temporary directory, never in a real gateway's log.
const PLANTED_UPSTREAM_KEY = ['sk', 'planted', 'upstream', '0123456789'].join('-');
const PLANTED_CLIENT_TOKEN = ['client', 'planted', 'token', '42'].join('-');

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-scan-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('scanCapturedLogs', () => {
  it('returns nothing for clean logs', () => {
    writeFileSync(join(dir, 'gateway-log-1.log'), '{"level":30,"msg":"request completed"}\n{"level":30,"msg":"ok"}\n');
    expect(scanCapturedLogs(dir, [PLANTED_UPSTREAM_KEY])).toEqual([]);
  });

  it('catches a planted upstream key, naming the file and line without echoing the key', () => {
    writeFileSync(join(dir, 'gateway-log-1.log'), `{"msg":"ok"}\n{"msg":"upstream said ${PLANTED_UPSTREAM_KEY}"}\n`);
    writeFileSync(join(dir, 'gateway-log-2.log'), '{"msg":"ok"}\n');
    const findings = scanCapturedLogs(dir, [PLANTED_UPSTREAM_KEY]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^gateway-log-1\.log line 2: /);
    expect(findings.join('\n')).not.toContain(PLANTED_UPSTREAM_KEY);
  });

  it('catches a client credential captured from a request, bare or with its Bearer prefix', () => {
    writeFileSync(join(dir, 'client-credentials-1.txt'), `${JSON.stringify(`Bearer ${PLANTED_CLIENT_TOKEN}`)}\n`);
    writeFileSync(join(dir, 'gateway-log-1.log'), `{"headers":{"x":"${PLANTED_CLIENT_TOKEN}"}}\n{"msg":"fine"}\n`);
    expect(scanCapturedLogs(dir, [])).toEqual([expect.stringMatching(/^gateway-log-1\.log line 1: /)]);
  });

  it('ignores credential files when nothing was logged', () => {
    writeFileSync(join(dir, 'client-credentials-1.txt'), `${JSON.stringify(PLANTED_CLIENT_TOKEN)}\n`);
    expect(scanCapturedLogs(dir, [PLANTED_UPSTREAM_KEY])).toEqual([]);
    expect(readFileSync(join(dir, 'client-credentials-1.txt'), 'utf8')).toContain(PLANTED_CLIENT_TOKEN);
  });
});

describe('credentialMarkers', () => {
  it('scans the header value and its bearer token, skipping values too short to be distinctive', () => {
    expect(credentialMarkers(['Bearer tok-client-abc', 'Bearer x', 'unused', 'gemini-client-key'])).toEqual([
      'Bearer tok-client-abc',
      'tok-client-abc',
      'Bearer x',
      'gemini-client-key',
    ]);
  });
});

describe('credentialsOf', () => {
  it('reads the three SDKs’ auth headers and a key query parameter', () => {
    const request = {
      headers: { authorization: 'Bearer a-token', 'x-api-key': 'anthropic-token', 'x-goog-api-key': 'goog-token' },
      url: '/v1beta/models/m:generateContent?key=query-token',
    };
    expect(credentialsOf(request)).toEqual(['Bearer a-token', 'anthropic-token', 'goog-token', 'query-token']);
  });
});
