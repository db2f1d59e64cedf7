export { countPromptTokens } from './count-prompt-tokens.js';
export type { PromptTokenCount } from './count-prompt-tokens.js';
export { promptUpperBound } from './prompt-upper-bound.js';
export { tokenizerFamilyFor } from './tokenizer-family.js';
export type { CountTarget, EncodingName, TokenizerFamily } from './tokenizer-family.js';
export { countTextTokens, countTextsTokens } from './count-text-tokens.js';
export { textTokenCounter } from './load-encoding.js';
export { TOKENS_PER_MESSAGE } from './collect-prompt-pieces.js';
