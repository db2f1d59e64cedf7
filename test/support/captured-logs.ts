import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { findSecretMarkers } from '../../src/observability/find-secrets.js';

/** Set by test/global-setup.ts: the directory where every test gateway appends its log lines and client credentials. */
export const CAPTURE_DIR_ENV = 'SWITCHYARD_TEST_CAPTURE_DIR';

const LOG_PREFIX = 'gateway-log-';
const CREDENTIAL_PREFIX = 'client-credentials-';

// Shorter values ("x", "unused") would match unrelated log text and report leaks that are not there.
const MIN_MARKER_LENGTH = 8;

const seenCredentials = new Set<string>();

function captureDir(): string | undefined {
  const dir = process.env[CAPTURE_DIR_ENV];
  return dir === undefined || dir === '' ? undefined : dir;
}

/** Appends a chunk of gateway log output to this process's capture file (no-op outside the suite's global setup). */
export function captureLogChunk(chunk: string): void {
  const dir = captureDir();
  if (dir !== undefined) appendFileSync(join(dir, `${LOG_PREFIX}${process.pid}.log`), chunk);
}

/** The credentials a client sent on one request: auth headers and a Gemini-style `key` query parameter. */
export function credentialsOf(request: Pick<IncomingMessage, 'headers' | 'url'>): string[] {
  const values: string[] = [];
  for (const name of ['authorization', 'x-api-key', 'x-goog-api-key']) {
    const value = request.headers[name];
    if (typeof value === 'string' && value !== '') values.push(value);
  }
  const key = new URL(request.url ?? '/', 'http://gateway').searchParams.get('key');
  if (key) values.push(key);
  return values;
}

/** Records each distinct credential a client sent to a test gateway, for the end-of-run scan. */
export function captureClientCredentials(request: Pick<IncomingMessage, 'headers' | 'url'>): void {
  const dir = captureDir();
  if (dir === undefined) return;
  for (const value of credentialsOf(request)) {
    if (seenCredentials.has(value)) continue;
    seenCredentials.add(value);
    appendFileSync(join(dir, `${CREDENTIAL_PREFIX}${process.pid}.txt`), `${JSON.stringify(value)}\n`);
  }
}

/** Markers for a credential header value: the value as sent and, for `Bearer <token>`, the bare token. */
export function credentialMarkers(values: readonly string[]): string[] {
  const markers = new Set<string>();
  for (const value of values) {
    markers.add(value);
    const token = /^bearer\s+(.+)$/i.exec(value)?.[1];
    if (token !== undefined) markers.add(token);
  }
  return [...markers].filter((marker) => marker.length >= MIN_MARKER_LENGTH);
}

/**
 * Scans every captured log file in `dir` for `markers` and for every client credential captured there; returns
 * `<file> line <n>: <redacted marker>` findings, empty when nothing leaked.
 */
export function scanCapturedLogs(dir: string, markers: readonly string[]): string[] {
  const files = readdirSync(dir).sort();
  const credentials = files
    .filter((file) => file.startsWith(CREDENTIAL_PREFIX))
    .flatMap((file) => readLines(join(dir, file)).map((line) => String(JSON.parse(line))));
  const needles = [...new Set([...markers, ...credentialMarkers(credentials)])];
  return files
    .filter((file) => file.startsWith(LOG_PREFIX))
    .flatMap((file) => findSecretMarkers(readLines(join(dir, file)), needles).map((finding) => `${file} ${finding}`));
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}
