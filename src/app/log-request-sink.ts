import type { Logger } from 'pino';
import { boundText } from '../core/index.js';
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
        // Names and messages can carry client input of any size; the access log keeps a bounded line.
        model: entry.requestedModel === undefined ? undefined : boundText(entry.requestedModel, 256),
        provider: entry.provider,
        upstreamModel: entry.model === undefined ? undefined : boundText(entry.model, 256),
        stream: entry.stream,
        attempts: entry.attempts.length,
        latencyMs: entry.latencyMs,
        ttftMs: entry.ttftMs,
        overheadMs: entry.overheadMs,
        errorCode: entry.errorCode,
        error: entry.errorMessage === undefined ? undefined : boundText(entry.errorMessage, 1000),
      },
      'request',
    );
  }

  async flush(): Promise<void> {}
}
