import type { CanonicalRequest, StreamEvent, Target } from '../core/index.js';
import { droppedAnthropicBeta } from '../providers/shared/dropped-anthropic-beta.js';
import { outputClampWarning } from './apply-output-clamp.js';

/** Runs a target's stream with the warnings that depend on the target alone (a clamped output budget, dropped betas) first. */
export async function* streamWithTargetWarnings(
  request: CanonicalRequest,
  target: Target,
  start: () => AsyncIterable<StreamEvent>,
): AsyncIterable<StreamEvent> {
  for (const warning of [outputClampWarning(target), droppedAnthropicBeta(request, target)]) {
    if (warning) yield { type: 'warning', warning };
  }
  yield* start();
}
