import type { AttemptRecord } from '../core/index.js';
import type { AttemptResult, WonAttempt, RunningAttempt } from './attempt-runner.js';

/** The outcome of racing attempts: the first to commit (if any), the failures seen before it, and the losers it cancelled. */
export interface RaceOutcome<W extends WonAttempt> {
  winner?: W;
  failures: AttemptResult<W>[];
  cancelled: AttemptRecord[];
}

/** Resolves with the first attempt to commit, cancelling the others; or with every failure once all failed. */
export function firstCommit<W extends WonAttempt>(running: RunningAttempt<W>[]): Promise<RaceOutcome<W>> {
  const failures: AttemptResult<W>[] = [];
  const finished = new Set<RunningAttempt<W>>();
  return new Promise((resolve) => {
    let done = false;
    for (const attempt of running) {
      void attempt.result.then((result) => {
        finished.add(attempt);
        if (done) {
          if (result.ok) result.close();
          return;
        }
        if (result.ok) {
          done = true;
          const cancelled = running.filter((other) => other !== attempt && !finished.has(other)).map((other) => other.cancel());
          resolve({ winner: result, failures, cancelled });
          return;
        }
        failures.push(result);
        if (finished.size === running.length) {
          done = true;
          resolve({ failures, cancelled: [] });
        }
      });
    }
  });
}
