import type { CanonicalRequest } from '../core/index.js';
import { estimatePromptTokens } from '../providers/simulated/simulated-behaviors.js';

/** Prompt tokens for count_tokens: a calibrated estimate (about four characters a token) until a tokenizer serves. */
export function countPromptTokens(request: CanonicalRequest): number {
  return estimatePromptTokens(request);
}
