import { readFileSync } from 'node:fs';
import type { RequestLogRecord } from '../../src/ports/request-log.js';

export type RequestRecordFixture = 'failoverStream' | 'unknownModel' | 'midStreamError' | 'allFailed';

const FIXTURE_PATH = new URL('../../src/observability/__fixtures__/request-records.json', import.meta.url);

/** Loads one synthetic request record from `__fixtures__/request-records.json` (test support). */
export function loadRequestRecordFixture(name: RequestRecordFixture): RequestLogRecord {
  const fixtures = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Record<RequestRecordFixture, RequestLogRecord>;
  return structuredClone(fixtures[name]);
}
