import type { Logger } from 'pino';
import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';

/**
 * One compact access-log line per request (the full record goes to the request-log store): successes at info,
 * client errors at warn, server errors at error.
 */
export class LogRequestSink implements RequestLogSink {
  constructor(private readonly logger: Logger) {}

  record(entry: RequestLogRecord): void {
    const level = entry.status >= 500 ? 'error' : entry.status >= 400 ? 'warn' : 'info';
    if (!this.logger.isLevelEnabled(level)) return;
    this.logger[level](
      {
        requestId: entry.id,
        status: entry.status,
        model: entry.requestedModel,
        provider: entry.provider,
        upstreamModel: entry.model,
        stream: entry.stream,
        attempts: entry.attempts.length,
        latencyMs: entry.latencyMs,
        ttftMs: entry.ttftMs,
        overheadMs: entry.overheadMs,
        errorCode: entry.errorCode,
        error: entry.errorMessage,
      },
      'request',
    );
  }

  async flush(): Promise<void> {}
}
