import { countTextsBounded } from './bounded-text-count.js';
import { textTokenCounter } from './load-encoding.js';
import { tokenizerFamilyFor, type CountTarget } from './tokenizer-family.js';

/** Tokens of a plain text on a target: exact for OpenAI-family models (sampled above 256K characters), the family's calibrated estimate otherwise. */
export function countTextTokens(text: string, target: CountTarget): number {
  return countTextsTokens([text], target);
}

/** Tokens of several plain texts together (embedding inputs), counted as `countTextTokens` counts one. */
export function countTextsTokens(texts: readonly string[], target: CountTarget): number {
  const family = tokenizerFamilyFor(target);
  // Bounded work: a huge text is counted from samples rather than holding the event loop.
  const tokens = countTextsBounded(texts, textTokenCounter(family.encoding)).tokens;
  return family.method === 'tokenizer' ? tokens : Math.ceil(tokens * family.factor);
}
