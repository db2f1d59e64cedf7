import type { Writable } from 'node:stream';

/** Why a wait for a full client buffer ended. */
export type DrainOutcome = 'drained' | 'closed' | 'stalled';

/** Waits until `stream` drains, closes, or stays full for `limitMs`. */
export function waitForDrain(stream: Writable, limitMs: number): Promise<DrainOutcome> {
  return new Promise((resolve) => {
    const settle = (outcome: DrainOutcome): void => {
      clearTimeout(timer);
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      resolve(outcome);
    };
    const onDrain = (): void => settle('drained');
    const onClose = (): void => settle('closed');
    const timer = setTimeout(() => settle('stalled'), limitMs);
    stream.once('drain', onDrain);
    stream.once('close', onClose);
  });
}
