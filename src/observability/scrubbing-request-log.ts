import type { SecretScrubber } from '../core/index.js';
import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';
import { scrubRequestRecord } from './scrub-request-record.js';

/**
 * Scrubs the configured secrets from every column of a record (error text, attempts, metadata, routing, bodies)
 * before any sink sees it: the store, the log line, metrics and traces get the same clean copy.
 */
export class ScrubbingRequestLog implements RequestLogSink {
  constructor(
    private readonly inner: RequestLogSink,
    private readonly secrets: SecretScrubber,
  ) {}

  record(entry: RequestLogRecord): void {
    this.inner.record(scrubRequestRecord(this.secrets, entry));
  }

  flush(): Promise<void> {
    return this.inner.flush();
  }
}
