import type { CountTextTokens } from './load-encoding.js';

/**
 * Above this many characters of text, tokens are extrapolated from samples: the tokenizer takes ~30 ms per MB on the
 * main thread, so four 9 MB prompts counted exactly would hold every other request for over a second.
 */
export const EXACT_COUNT_MAX_CHARS = 256 * 1024;
const SAMPLE_WINDOWS = 32;
const SAMPLE_CHARS = 2048;

/** A token total and whether it was extrapolated from samples rather than counted in full. */
export interface TextTokenTotal {
  tokens: number;
  sampled: boolean;
}

/**
 * Counts the tokens of a list of texts: exactly when they are small, otherwise from evenly spaced samples scaled to
 * the full length, so the work is bounded (~64 KB tokenized) whatever the prompt's size. Whole texts are counted with
 * `countText`, samples with `countSample` (a counter that remembers texts is worth it for the first, not the second).
 */
export function countTextsBounded(texts: readonly string[], countText: CountTextTokens, countSample: CountTextTokens = countText): TextTokenTotal {
  let totalChars = 0;
  for (const text of texts) totalChars += text.length;
  if (totalChars <= EXACT_COUNT_MAX_CHARS) {
    let tokens = 0;
    for (const text of texts) tokens += countText(text);
    return { tokens, sampled: false };
  }
  const stride = totalChars / SAMPLE_WINDOWS;
  let sampleChars = 0;
  let sampleTokens = 0;
  let textIndex = 0;
  let textStart = 0;
  for (let window = 0; window < SAMPLE_WINDOWS; window += 1) {
    const offset = Math.floor(window * stride);
    while (textIndex < texts.length && textStart + (texts[textIndex] as string).length <= offset) {
      textStart += (texts[textIndex] as string).length;
      textIndex += 1;
    }
    const text = texts[textIndex];
    if (text === undefined) break;
    const sample = text.slice(offset - textStart, offset - textStart + SAMPLE_CHARS);
    sampleChars += sample.length;
    sampleTokens += countSample(sample);
  }
  return { tokens: sampleChars === 0 ? 0 : Math.ceil((sampleTokens / sampleChars) * totalChars), sampled: true };
}
