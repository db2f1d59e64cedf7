import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';

/** Reports a sink failure; receives the failing sink's index so the caller can name it. */
export type SinkErrorHandler = (error: unknown, sinkIndex: number) => void;

/** A RequestLogSink that hands every record to several sinks; one sink failing never affects the others. */
export class FanOutRequestLog implements RequestLogSink {
  private readonly sinks: readonly RequestLogSink[];

  constructor(sinks: readonly (RequestLogSink | undefined)[], private readonly onError: SinkErrorHandler = () => {}) {
    this.sinks = sinks.filter((sink): sink is RequestLogSink => sink !== undefined);
  }

  record(entry: RequestLogRecord): void {
    this.sinks.forEach((sink, index) => {
      try {
        sink.record(entry);
      } catch (error) {
        this.report(error, index);
      }
    });
  }

  /** Flushes every sink, waiting for all of them even when some fail. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map(async (sink) => sink.flush()));
    results.forEach((result, index) => {
      if (result.status === 'rejected') this.report(result.reason, index);
    });
  }

  private report(error: unknown, index: number): void {
    try {
      this.onError(error, index);
    } catch {
      // An error handler that throws must not turn one sink's failure into everyone's.
    }
  }
}
