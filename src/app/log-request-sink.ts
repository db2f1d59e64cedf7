import type { Logger } from 'pino';
import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';

/** A RequestLogSink that writes one structured log line per request (the default until a store is configured). */
export class LogRequestSink implements RequestLogSink {
  constructor(private readonly logger: Logger) {}

  record(entry: RequestLogRecord): void {
    const level = entry.status >= 500 ? 'error' : entry.status >= 400 ? 'warn' : 'info';
    this.logger[level]({ request: entry }, 'request');
  }

  async flush(): Promise<void> {}
}
