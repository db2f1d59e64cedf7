import type { GatewayError, StreamEvent, Usage } from '../core/index.js';
import type { RequestLogRecord } from '../ports/request-log.js';

/** Builds a request's log record as the request proceeds; every exit path finishes it exactly once. */
export class RequestRecorder {
  readonly record: RequestLogRecord;

  constructor(
    id: string,
    clientFormat: RequestLogRecord['clientFormat'],
    private readonly startedMs: number,
    clientRequestId?: string,
  ) {
    this.record = { id, startedAt: Date.now(), clientFormat, stream: false, status: 0, attempts: [], latencyMs: 0, warnings: [] };
    if (clientRequestId !== undefined) this.record.metadata = { client_request_id: clientRequestId };
  }

  /** Adds the request's metadata tags (the client's `metadata`) to the record; no tags leave it as it is. */
  tag(metadata: Record<string, string>): void {
    // A key without tags is the common case: no copy, and no empty `metadata` on the record.
    for (const _name in metadata) {
      this.record.metadata = { ...metadata, ...this.record.metadata };
      return;
    }
  }

  /** Notes what every event says about usage, finish and warnings. */
  observe(event: StreamEvent): void {
    if (event.type === 'usage') this.record.usage = event.usage;
    else if (event.type === 'finish') this.record.finishReason = event.reason;
    else if (event.type === 'warning') this.record.warnings.push(event.warning);
    else if (event.type === 'error') this.fail(event.error);
  }

  /**
   * Settles a generation's reservations with the usage and cost recorded, once it has finished. An answer that ended
   * before its finish (the client left, the stream was cut) carries part of its usage at most, while the provider
   * billed what it generated: it settles without usage, so the reservation's estimate stands, and that is recorded.
   */
  settleAnswer(settle: ((usage: Usage | undefined, costUsd: number | undefined) => number | undefined) | undefined, costUsd: number | undefined): void {
    if (!settle) return;
    const finished = this.record.finishReason !== undefined;
    this.chargedEstimate(settle(finished ? this.record.usage : undefined, finished ? costUsd : undefined));
  }

  /** Notes a cost the budget was charged from the request's estimate, because its usage never came. */
  chargedEstimate(usd: number | undefined): void {
    if (usd === undefined) return;
    this.record.costUsd = usd;
    this.record.warnings.push({ code: 'usage_estimated', message: `the answer ended without usage; the budget was charged the reserved estimate, $${usd.toFixed(6)}` });
  }

  /** Marks the request failed with a gateway error. */
  fail(error: GatewayError): void {
    this.record.errorCode = error.code;
    this.record.errorMessage = error.message;
    if (this.record.status !== 200) this.record.status = error.status;
  }

  /** Stamps total latency and overhead. */
  finish(nowMs: number, upstreamMs: number | undefined): RequestLogRecord {
    this.record.latencyMs = Math.round((nowMs - this.startedMs) * 100) / 100;
    if (upstreamMs !== undefined) this.record.overheadMs = Math.max(0, Math.round((nowMs - this.startedMs - upstreamMs) * 100) / 100);
    return this.record;
  }
}

