import { textTokenCounter } from './load-encoding.js';
import { tokenizerFamilyFor, type CountTarget } from './tokenizer-family.js';

/** Tokens of a plain text on a target: exact for OpenAI-family models, the family's calibrated estimate otherwise. */
export function countTextTokens(text: string, target: CountTarget): number {
  const family = tokenizerFamilyFor(target);
  const tokens = textTokenCounter(family.encoding)(text);
  return family.method === 'tokenizer' ? tokens : Math.ceil(tokens * family.factor);
}
