import type { CanonicalRequest } from '../../core/index.js';
import { collectPromptPieces, framingTokens, type PromptPieces } from './collect-prompt-pieces.js';
import { IMAGE_TOKENS_UPPER_BOUND } from './tokenizer-family.js';

/**
 * A cheap ceiling on the prompt's tokens for every family, without running a tokenizer: byte-level BPE never
 * yields more tokens than UTF-8 bytes, so text costs at most its byte length; framing and images are added at the
 * largest per-item cost any family charges. Estimates are capped at this bound, so it holds for them too.
 */
export function promptUpperBound(request: CanonicalRequest): number {
  return upperBoundOfPieces(collectPromptPieces(request));
}

/** The same ceiling from pieces already collected. */
function upperBoundOfPieces(pieces: PromptPieces): number {
  let bytes = 0;
  for (const text of pieces.texts) bytes += Buffer.byteLength(text, 'utf8');
  for (const text of pieces.reasoningTexts) bytes += Buffer.byteLength(text, 'utf8');
  return bytes + framingTokens(pieces) + pieces.images.length * IMAGE_TOKENS_UPPER_BOUND;
}

/**
 * `tokens` capped at the pieces' ceiling. A text's UTF-8 bytes are never fewer than its length in UTF-16 units, so a
 * count within the ceiling figured from lengths is within the real one, and the bytes are then not counted.
 */
export function capAtUpperBound(tokens: number, pieces: PromptPieces): number {
  let chars = 0;
  for (const text of pieces.texts) chars += text.length;
  for (const text of pieces.reasoningTexts) chars += text.length;
  if (tokens <= chars + framingTokens(pieces) + pieces.images.length * IMAGE_TOKENS_UPPER_BOUND) return tokens;
  return Math.min(tokens, upperBoundOfPieces(pieces));
}
