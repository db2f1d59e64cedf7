import type { CanonicalRequest } from '../core/index.js';
import type { CountTarget } from '../routing/token-count/index.js';
import { countPromptTokens as countForTarget } from '../routing/token-count/index.js';

// The endpoint answers in Anthropic's API shape, so without a resolved target it counts as a Claude model would.
const CLAUDE_TARGET: CountTarget = { provider: { type: 'anthropic' }, model: 'claude' };

/**
 * Prompt tokens for `POST /v1/messages/count_tokens`: the Claude family's calibrated estimate, or the count for
 * `target` (e.g. the route's first target) when the caller has resolved one.
 */
export function countPromptTokens(request: CanonicalRequest, target: CountTarget = CLAUDE_TARGET): number {
  return countForTarget(request, target).tokens;
}
