import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SecretScrubber } from '../core/index.js';
import type { RequestLogRecord } from '../ports/request-log.js';
import { RECORD_COLUMN_KINDS, scrubRequestRecord } from './scrub-request-record.js';

const SECRET = 'sk-live-0123456789abcdef';
const scrubber = new SecretScrubber([SECRET]);

/** The stores' full record, with the columns it leaves out filled in, so every column holds text or a number. */
function fullRecord(): RequestLogRecord {
  const record = JSON.parse(readFileSync(new URL('../backends/request-log/__fixtures__/request-log-record-full.json', import.meta.url), 'utf8')) as RequestLogRecord;
  record.errorCode = 'upstream_overloaded';
  record.errorMessage = 'the first target was overloaded';
  record.taskClass = 'summarise';
  record.attempts[0] = { ...record.attempts[0]!, phase: 'first_token' };
  return record;
}

type Path = (string | number)[];

/** Every string in a value, keys included, by where it sits: a key's path ends with `{key}`. */
function stringPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringPaths(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [[...path, `{${key}}`], ...stringPaths(item, [...path, key])]);
}

/** A copy of the record with the secret put into the string at `path` (a value, or a key's name). */
function withSecretAt(record: RequestLogRecord, path: Path): RequestLogRecord {
  const copy = structuredClone(record) as unknown as Record<string | number, unknown>;
  let holder = copy;
  for (const step of path.slice(0, -1)) holder = holder[step] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  const key = typeof last === 'string' ? /^\{(.*)\}$/.exec(last)?.[1] : undefined;
  if (key === undefined) holder[last] = `echoed ${SECRET} here`;
  else {
    holder[`${key}-${SECRET}`] = holder[key];
    delete holder[key];
  }
  return copy as unknown as RequestLogRecord;
}

describe('scrubRequestRecord', () => {
  it('has every column that holds text filled in the record the tests walk', () => {
    const record = fullRecord();
    const textual = Object.entries(RECORD_COLUMN_KINDS).filter(([, kind]) => kind !== 'plain');
    for (const [column] of textual) expect(record[column as keyof RequestLogRecord], column).toBeDefined();
  });

  it('scrubs a secret from every string of every column, as walking the record whole does', () => {
    const record = fullRecord();
    const paths = stringPaths(record);
    expect(paths.length).toBeGreaterThan(60);
    // Keys of the record's own shapes are the gateway's names; only open JSON (bodies, metadata, raw usage, warnings)
    // holds keys a client or an upstream chose.
    const open = (path: Path): boolean => path.some((step) => ['requestBody', 'responseBody', 'metadata', 'raw', 'warnings'].includes(String(step)));
    for (const path of paths.filter((candidate) => !String(candidate.at(-1)).startsWith('{') || open(candidate))) {
      const dirty = withSecretAt(record, path);
      const scrubbed = scrubRequestRecord(scrubber, dirty);
      expect(JSON.stringify(scrubbed), path.join('.')).not.toContain(SECRET);
      expect(scrubbed, path.join('.')).toEqual(scrubber.scrubDeep(dirty));
    }
  });

  it('returns a record without secrets as it is, and leaves a scrubbed one untouched', () => {
    const record = fullRecord();
    expect(scrubRequestRecord(scrubber, record)).toBe(record);
    const dirty = withSecretAt(record, ['attempts', 0, 'message']);
    const scrubbed = scrubRequestRecord(scrubber, dirty);
    expect(scrubbed.attempts[0]?.message).toBe('echoed [redacted] here');
    expect(dirty.attempts[0]?.message).toBe(`echoed ${SECRET} here`);
    expect(scrubbed.attempts[1]).toBe(dirty.attempts[1]);
    expect(scrubbed.usage).toBe(dirty.usage);
  });

  it('keeps optional columns the record does not have absent', () => {
    const record: RequestLogRecord = { id: 'req-1', startedAt: 1, clientFormat: 'openai-chat', stream: false, status: 502, attempts: [], latencyMs: 1, warnings: [], errorMessage: `bad key ${SECRET}` };
    const scrubbed = scrubRequestRecord(scrubber, record);
    expect(scrubbed).toEqual({ ...record, errorMessage: 'bad key [redacted]' });
    expect(Object.keys(scrubbed).sort()).toEqual(Object.keys(record).sort());
  });

  it('leaves records alone when no secret is configured', () => {
    const record = withSecretAt(fullRecord(), ['errorMessage']);
    expect(scrubRequestRecord(new SecretScrubber([]), record)).toBe(record);
  });
});
