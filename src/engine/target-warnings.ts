import { batchesOf, eventBatches, type CanonicalRequest, type EventBatches, type StreamEvent, type Target, type Warning } from '../core/index.js';
import { droppedAnthropicBeta } from '../providers/shared/dropped-anthropic-beta.js';
import { outputClampWarning } from './apply-output-clamp.js';

/**
 * Runs a target's stream with the warnings that depend on the target alone (a clamped output budget, dropped betas)
 * first. Without such warnings the stream is returned as it is: one async layer less for every event.
 */
export function streamWithTargetWarnings(request: CanonicalRequest, target: Target, start: () => AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
  const warnings = [outputClampWarning(target), droppedAnthropicBeta(request, target)].filter((warning) => warning !== undefined);
  return warnings.length === 0 ? start() : warnedFirst(warnings, start);
}

/** The warnings as the first batch, then the target's stream batch by batch. */
function warnedFirst(warnings: Warning[], start: () => AsyncIterable<StreamEvent>): EventBatches {
  return eventBatches(() => warnedBatches(warnings, start));
}

async function* warnedBatches(warnings: Warning[], start: () => AsyncIterable<StreamEvent>): AsyncGenerator<readonly StreamEvent[]> {
  yield warnings.map((warning): StreamEvent => ({ type: 'warning', warning }));
  const batches = batchesOf(start());
  let ended = false;
  try {
    for (;;) {
      const result = await batches.next();
      if (result.done) break;
      yield result.value;
    }
    ended = true;
  } finally {
    // Stopped early (the attempt closed): the target's stream is closed too, as `yield*` would.
    if (!ended) await batches.return?.();
  }
}
