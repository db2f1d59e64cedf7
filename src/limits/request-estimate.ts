import { costOfUsage, type ModelInfo, type ModelLookup } from '../catalog/index.js';
import type { CanonicalRequest, EmbeddingRequest, Target, Usage } from '../core/index.js';
import { countPromptTokens, countTextsTokens } from '../routing/token-count/index.js';

/** Output reserved when neither the request nor the catalogue says how much a model may write. */
const DEFAULT_OUTPUT_RESERVATION = 4096;

/** The output reserved for a request that sets no maximum: the model's own, else the default. */
function reservedOutput(info: ModelInfo | undefined): number {
  return info?.maxOutputTokens ?? DEFAULT_OUTPUT_RESERVATION;
}

/** What a request may cost before it runs: prompt tokens from the tokenizer plus its maximum output, and that in USD. */
export interface RequestEstimate {
  tokens: number;
  /** The most any of the plan's targets would charge for it; 0 when none is priced. */
  usd: number;
}

/** Estimates a request against its plan's targets; the tokenizer runs once, for the first target's family. */
export function estimateRequest(request: CanonicalRequest, targets: readonly Target[], lookup: ModelLookup): RequestEstimate {
  const first = targets[0];
  if (!first) return { tokens: 0, usd: 0 };
  const prompt = countPromptTokens(request, first).tokens;
  let tokens = 0;
  let usd = 0;
  for (const target of targets) {
    const info = lookup(target);
    const output = request.maxOutputTokens ?? reservedOutput(info);
    tokens = Math.max(tokens, prompt + output);
    const cost = info?.price ? costOfUsage({ inputTokens: prompt, outputTokens: output }, info.price) : undefined;
    if (cost !== undefined) usd = Math.max(usd, cost);
  }
  return { tokens, usd };
}

/**
 * The tokens `estimateRequest` gives for a single target, without pricing it: what each attempt reserves in its
 * deployment's TPM window. The catalogue is read only when the request sets no output maximum of its own.
 */
export function estimateTargetTokens(request: CanonicalRequest, target: Target, lookup: () => ModelLookup): number {
  const output = request.maxOutputTokens ?? reservedOutput(lookup()(target));
  return countPromptTokens(request, target).tokens + output;
}

/** What an embeddings request may cost: its input tokens from the tokenizer (embeddings write none), and that in USD. */
export function estimateEmbedding(request: EmbeddingRequest, targets: readonly Target[], lookup: ModelLookup): RequestEstimate {
  const first = targets[0];
  if (!first) return { tokens: 0, usd: 0 };
  const tokens = countTextsTokens(request.input, first);
  let usd = 0;
  for (const target of targets) {
    const price = lookup(target)?.price;
    const cost = price ? costOfUsage({ inputTokens: tokens }, price) : undefined;
    if (cost !== undefined) usd = Math.max(usd, cost);
  }
  return { tokens, usd };
}

/** Every token a response used, for settling a TPM reservation (undefined when the usage reports no count). */
export function usedTokens(usage: Usage | undefined): number | undefined {
  if (!usage) return undefined;
  // Named rather than gathered into an array: this runs at least twice per governed request.
  const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens } = usage;
  if (inputTokens === undefined && cacheReadTokens === undefined && cacheWriteTokens === undefined && outputTokens === undefined && reasoningTokens === undefined) {
    return undefined;
  }
  return (inputTokens ?? 0) + (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0) + (outputTokens ?? 0) + (reasoningTokens ?? 0);
}
