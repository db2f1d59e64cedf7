import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { RequestLogRecord } from '../ports/request-log.js';
import type { RequestTracer } from './request-tracer.js';
import { ATTR } from './trace-attributes.js';
import { writeRequestSpans } from './write-request-spans.js';
import type { ProviderNameResolver } from './write-request-spans.js';

export interface OtlpRequestTracerSettings {
  /** Full OTLP/HTTP traces URL, e.g. `http://collector:4318/v1/traces`. */
  url: string;
  headers: Record<string, string>;
  serviceName: string;
  resolveProviderName: ProviderNameResolver;
  onError: (error: unknown) => void;
}

/**
 * Exports request records as spans over OTLP/HTTP (JSON encoding) through a batch processor, so `record()` only
 * queues spans in memory. Loaded only by `createRequestTracer` when tracing is configured.
 */
export class OtlpRequestTracer implements RequestTracer {
  private constructor(
    private readonly provider: BasicTracerProvider,
    private readonly tracer: Tracer,
    private readonly settings: OtlpRequestTracerSettings,
  ) {}

  /** Builds the exporter, batch processor and tracer provider; nothing is registered globally. */
  static create(settings: OtlpRequestTracerSettings): OtlpRequestTracer {
    const exporter = new OTLPTraceExporter({ url: settings.url, headers: settings.headers });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ [ATTR.serviceName]: settings.serviceName }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    return new OtlpRequestTracer(provider, provider.getTracer('switchyard'), settings);
  }

  record(entry: RequestLogRecord): void {
    try {
      writeRequestSpans(this.tracer, entry, this.settings.resolveProviderName);
    } catch (error) {
      this.settings.onError(error);
    }
  }

  /** Exports every span still queued. */
  async flush(): Promise<void> {
    try {
      await this.provider.forceFlush();
    } catch (error) {
      this.settings.onError(error);
    }
  }

  /** Flushes and stops the exporter; later records are dropped. */
  async shutdown(): Promise<void> {
    try {
      await this.provider.shutdown();
    } catch (error) {
      this.settings.onError(error);
    }
  }
}
