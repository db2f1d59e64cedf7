import { describe, expect, it } from 'vitest';
import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';
import { FanOutRequestLog } from './fan-out-request-log.js';
import { loadRequestRecordFixture } from '../../test/support/load-request-record-fixture.js';

class CollectingSink implements RequestLogSink {
  readonly records: RequestLogRecord[] = [];
  flushed = 0;
  record(entry: RequestLogRecord): void {
    this.records.push(entry);
  }
  async flush(): Promise<void> {
    this.flushed += 1;
  }
}

const throwingSink: RequestLogSink = {
  record() {
    throw new Error('record failed');
  },
  async flush() {
    throw new Error('flush failed');
  },
};

describe('FanOutRequestLog', () => {
  it('hands every record to every sink and skips undefined ones', () => {
    const first = new CollectingSink();
    const second = new CollectingSink();
    const fanOut = new FanOutRequestLog([first, undefined, second]);
    const record = loadRequestRecordFixture('failoverStream');
    fanOut.record(record);
    expect(first.records).toEqual([record]);
    expect(second.records).toEqual([record]);
  });

  it('keeps feeding and flushing the other sinks when one throws, and reports each failure', async () => {
    const errors: Array<[string, number]> = [];
    const healthy = new CollectingSink();
    const fanOut = new FanOutRequestLog([throwingSink, healthy], (error, index) => {
      errors.push([error instanceof Error ? error.message : String(error), index]);
    });
    fanOut.record(loadRequestRecordFixture('allFailed'));
    await expect(fanOut.flush()).resolves.toBeUndefined();
    expect(healthy.records).toHaveLength(1);
    expect(healthy.flushed).toBe(1);
    expect(errors).toEqual([
      ['record failed', 0],
      ['flush failed', 0],
    ]);
  });

  it('survives an error handler that itself throws', () => {
    const healthy = new CollectingSink();
    const fanOut = new FanOutRequestLog([throwingSink, healthy], () => {
      throw new Error('handler failed');
    });
    expect(() => fanOut.record(loadRequestRecordFixture('allFailed'))).not.toThrow();
    expect(healthy.records).toHaveLength(1);
  });
});
