import type { CanonicalRequest } from '../../core/index.js';
import { collectPromptPieces, framingTokens } from './collect-prompt-pieces.js';
import { countTextsBounded } from './bounded-text-count.js';
import { rememberingTextTokenCounter, textTokenCounter } from './load-encoding.js';
import { capAtUpperBound } from './prompt-upper-bound.js';
import type { CountTarget, TokenizerFamily } from './tokenizer-family.js';
import { tokenizerFamilyFor } from './tokenizer-family.js';

/** A prompt size and how it was obtained: an exact local tokenizer, or a calibrated estimate. */
export interface PromptTokenCount {
  tokens: number;
  method: 'tokenizer' | 'estimate';
}

/**
 * Counts already made, per request and tokenizer family, kept on the request itself under a symbol key. One request is
 * counted by its admission (TPM and budget estimate), by fitting and ranking its plan and by each attempt's deployment
 * limit; the tokenizer is the costliest step of each, and a parsed request is never changed afterwards. Not a `WeakMap`
 * keyed by the request: every short-lived key would be an ephemeron for the collector, in a long-lived table that
 * grows and is rebuilt in the old generation. Not a non-enumerable property either: `Object.defineProperty` took
 * V8's runtime path, about 2 µs per governed request in the gateway (docs/benchmarks.md). A symbol key stays out of
 * `Object.keys`, JSON and structured clones; a spread copy does carry it, so the counts name the request they belong
 * to and a copy (a redacted or rewritten request) is counted afresh.
 */
const COUNTED = Symbol('promptTokenCounts');

/** A request's counts: the first family's inline (almost every request is counted for one), any others in a map. */
interface Counts {
  /** The request counted: a copy made with a spread carries these counts but is not this object. */
  owner: object;
  family: TokenizerFamily;
  count: PromptTokenCount;
  others?: Map<TokenizerFamily, PromptTokenCount>;
}

interface CountedRequest {
  [COUNTED]?: Counts;
}

/**
 * Counts a request's prompt tokens for a target, once per request and tokenizer family. OpenAI-family models run their own encoding with OpenAI's chat
 * framing (tools are counted as their JSON, slightly above OpenAI's terser internal rendering); other families
 * scale the o200k count by a calibrated factor, capped by `promptUpperBound`. Very large prompts are counted from
 * samples (`countTextsBounded`) and reported as estimates.
 */
export function countPromptTokens(request: CanonicalRequest, target: CountTarget): PromptTokenCount {
  const family = tokenizerFamilyFor(target);
  const memo = request as CanonicalRequest & CountedRequest;
  const held = memo[COUNTED];
  const counts = held?.owner === request ? held : undefined;
  if (counts?.family === family) return counts.count;
  const known = counts?.others?.get(family);
  if (known) return known;
  const count = countWithFamily(request, family);
  if (!counts) {
    memo[COUNTED] = { owner: request, family, count };
  } else {
    counts.others ??= new Map();
    counts.others.set(family, count);
  }
  return count;
}

function countWithFamily(request: CanonicalRequest, family: TokenizerFamily): PromptTokenCount {
  const pieces = collectPromptPieces(request);
  // Chat Completions has no way to send earlier reasoning back, so it never reaches an OpenAI model's context;
  // Claude (thinking blocks) and DeepSeek-style `reasoning_content` replay it.
  const texts = family.method === 'estimate' ? [...pieces.texts, ...pieces.reasoningTexts] : pieces.texts;
  const text = countTextsBounded(texts, rememberingTextTokenCounter(family.encoding), textTokenCounter(family.encoding));
  const textTokens = text.tokens;
  let imageTokens = 0;
  for (const detail of pieces.images) imageTokens += detail === 'low' ? family.imageTokens.low : family.imageTokens.high;
  const base = textTokens + framingTokens(pieces);
  if (family.method === 'tokenizer' && !text.sampled) return { tokens: base + imageTokens, method: 'tokenizer' };
  if (family.method === 'tokenizer') return { tokens: capAtUpperBound(base + imageTokens, pieces), method: 'estimate' };
  const estimated = Math.ceil(base * family.factor) + imageTokens;
  return { tokens: capAtUpperBound(estimated, pieces), method: 'estimate' };
}
