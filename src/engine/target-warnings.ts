import type { CanonicalRequest, StreamEvent, Target, Warning } from '../core/index.js';
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

async function* warnedFirst(warnings: Warning[], start: () => AsyncIterable<StreamEvent>): AsyncIterable<StreamEvent> {
  for (const warning of warnings) yield { type: 'warning', warning };
  yield* start();
}
