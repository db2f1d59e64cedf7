import type { AttemptResult, CommittableAttempt, RunningAttempt } from './attempt-runner.js';

/** The outcome of racing attempts: the first to commit (if any) and the failures seen before it. */
export interface RaceOutcome {
  winner?: CommittableAttempt;
  failures: AttemptResult[];
}

/** Resolves with the first attempt to commit, cancelling the others; or with every failure once all failed. */
export function firstCommit(running: RunningAttempt[]): Promise<RaceOutcome> {
  const failures: AttemptResult[] = [];
  return new Promise((resolve) => {
    let settled = 0;
    let done = false;
    for (const attempt of running) {
      void attempt.result.then((result) => {
        settled++;
        if (done) {
          if (result.ok) result.stream.close();
          return;
        }
        if (result.ok) {
          done = true;
          for (const other of running) if (other !== attempt) other.cancel();
          resolve({ winner: result, failures });
          return;
        }
        failures.push(result);
        if (settled === running.length) {
          done = true;
          resolve({ failures });
        }
      });
    }
  });
}
