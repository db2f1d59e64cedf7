import { describe, expect, it } from 'vitest';
import { GatewayError, type AttemptRecord } from '../core/index.js';
import type { AttemptResult, CommittableAttempt, RunningAttempt } from './attempt-runner.js';
import type { AttemptStream } from './attempt-stream.js';
import { firstCommit } from './first-commit.js';

function record(provider: string, outcome: AttemptRecord['outcome']): AttemptRecord {
  return { provider, model: 'm', outcome, latencyMs: 0 };
}

function committed(provider: string): CommittableAttempt {
  const target = { provider: { id: provider } } as CommittableAttempt['target'];
  return {
    ok: true,
    target,
    stream: { close() {} } as AttemptStream,
    buffered: [],
    record: record(provider, 'ok'),
    close() {},
    failedAfterCommit: () => undefined,
  };
}

/** A running attempt that settles when `settle` is called, counting its cancellations. */
function pending(provider: string): RunningAttempt & { settle(result: AttemptResult): void; cancels: number } {
  let settle: (result: AttemptResult) => void = () => undefined;
  const result = new Promise<AttemptResult>((resolve) => {
    settle = resolve;
  });
  const attempt = {
    result,
    cancels: 0,
    settle: (value: AttemptResult) => settle(value),
    abort: () => undefined,
    cancel: () => {
      attempt.cancels++;
      return record(provider, 'client_closed');
    },
  };
  return attempt;
}

describe('firstCommit', () => {
  it('lists the hedge loser it cancelled, so the attempt count includes it', async () => {
    const slow = pending('slow');
    const fast = pending('fast');
    const race = firstCommit([slow, fast]);
    fast.settle(committed('fast'));
    const outcome = await race;
    expect(outcome.winner?.target.provider.id).toBe('fast');
    expect(outcome.cancelled).toEqual([record('slow', 'client_closed')]);
    expect(slow.cancels).toBe(1);
  });

  it('cancels nothing that had already finished', async () => {
    const failed = pending('failed');
    const fast = pending('fast');
    const race = firstCommit([failed, fast]);
    const failure = new GatewayError('upstream_server_error', 'x');
    failed.settle({ ok: false, target: committed('failed').target, failure, record: record('failed', 'upstream_server_error'), upstreamMs: 0 });
    await Promise.resolve();
    fast.settle(committed('fast'));
    const outcome = await race;
    expect(outcome.cancelled).toEqual([]);
    expect(outcome.failures).toHaveLength(1);
    expect(failed.cancels).toBe(0);
  });
});
