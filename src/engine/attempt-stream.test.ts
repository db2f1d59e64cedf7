import { describe, expect, it } from 'vitest';
import { systemClock, type StreamEvent, type Usage } from '../core/index.js';
import { AttemptStream } from './attempt-stream.js';

const LIMITS = { firstTokenMs: 5_000, stallMs: 5_000, deadlineFirst: false };

/** An attempt over `batches`, with what its source registered through `whenDone` recorded in `settled`. */
function attemptOver(batches: StreamEvent[][]): { stream: AttemptStream; settled: Array<Usage | undefined> } {
  const settled: Array<Usage | undefined> = [];
  const stream = new AttemptStream(
    (_signal, _wait, _responded, whenDone) => {
      whenDone((usage) => settled.push(usage));
      return (async function* events() {
        for (const batch of batches) yield* batch;
      })();
    },
    'p',
    LIMITS,
    systemClock,
  );
  return { stream, settled };
}

describe('AttemptStream', () => {
  it('runs what the provider client registered once, at the end, with the last usage the stream carried', async () => {
    const { stream, settled } = attemptOver([[{ type: 'text-delta', blockId: 'b', text: 'hi' }], [{ type: 'usage', usage: { inputTokens: 4, outputTokens: 2 } }]]);
    while ((await stream.nextBatch()) !== undefined) expect(settled).toEqual([]);
    stream.close();
    expect(settled).toEqual([{ inputTokens: 4, outputTokens: 2 }]);
  });

  it('runs every registration, in order', async () => {
    const order: string[] = [];
    const stream = new AttemptStream(
      (_signal, _wait, _responded, whenDone) => {
        whenDone(() => order.push('outer'));
        whenDone(() => order.push('inner'));
        return (async function* events() {
          yield { type: 'text-delta', blockId: 'b', text: 'hi' } as const;
        })();
      },
      'p',
      LIMITS,
      systemClock,
    );
    while ((await stream.nextBatch()) !== undefined);
    expect(order).toEqual(['outer', 'inner']);
  });

  it('runs it without usage when the attempt is closed before any came', async () => {
    const { stream, settled } = attemptOver([[{ type: 'text-delta', blockId: 'b', text: 'hi' }], [{ type: 'usage', usage: { outputTokens: 9 } }]]);
    await stream.nextBatch();
    stream.close();
    stream.close();
    expect(settled).toEqual([undefined]);
  });
});
