import type { ProviderType } from '../../core/index.js';

/** The BPE encodings the gateway can run locally. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * How prompts for one group of models are counted. Targets in the same family get the same count, so a planner
 * counts once per family. `factor` scales the local encoding's count for models whose own tokenizer we do not ship.
 */
export interface TokenizerFamily {
  id: 'openai-o200k' | 'openai-cl100k' | 'claude' | 'gemini' | 'deepseek' | 'qwen' | 'mistral' | 'llama' | 'other';
  encoding: EncodingName;
  method: 'tokenizer' | 'estimate';
  factor: number;
  /** Tokens charged per image (we never decode images, so this is a typical-size cost, not a measurement). */
  imageTokens: { low: number; high: number };
}

/** What the counter needs to know about a target; a routing `Target` satisfies it. */
export interface CountTarget {
  provider: { type: ProviderType };
  model: string;
}

// OpenAI vision pricing: a low-detail image is a flat 85 tokens; high (and `auto`, which picks high for anything
// larger than 512 px) is 85 + 170 per 512-px tile after scaling. 765 is the 1024×1024 case (4 tiles), the size the
// OpenAI docs use as their worked example; the largest possible image (2048×768 → 8 tiles) is 1,445.
const OPENAI_IMAGE_TOKENS = { low: 85, high: 765 };
// Anthropic: tokens ≈ width × height / 750, and images are downscaled to about 1.15 megapixels, so the ceiling is
// about 1,600. Screenshots and photos hit the ceiling, so it is also the typical cost.
const CLAUDE_IMAGE_TOKENS = { low: 1600, high: 1600 };
// Gemini 2.x: 258 tokens per 768×768 tile (one tile when both sides ≤ 384 px); a 1024×1024 image is 4 tiles.
const GEMINI_IMAGE_TOKENS = { low: 258, high: 1032 };

/** The largest per-image cost of any family: the image term of the cheap upper bound. */
export const IMAGE_TOKENS_UPPER_BOUND = 1600;

const O200K: TokenizerFamily = { id: 'openai-o200k', encoding: 'o200k_base', method: 'tokenizer', factor: 1, imageTokens: OPENAI_IMAGE_TOKENS };
const CL100K: TokenizerFamily = { id: 'openai-cl100k', encoding: 'cl100k_base', method: 'tokenizer', factor: 1, imageTokens: OPENAI_IMAGE_TOKENS };

// Calibration factors against o200k_base, for models whose tokenizer is not public or not shipped here. Sources and
// reasoning (English prose and code; CJK varies more, which is why estimates are also capped by the byte bound):
// - Claude 1.15: Anthropic does not publish its tokenizer; public side-by-side counts (the count_tokens API versus
//   tiktoken) put Claude 3/4 at 10–20% above o200k. The midpoint keeps false skips rare near the window edge.
// - Gemini 1.0: SentencePiece with a 256k vocabulary; Google documents ~4 characters a token, the same as o200k.
// - DeepSeek 1.1: 128k byte-level BPE; DeepSeek documents ~0.3 tokens per English character versus o200k's ~0.25,
//   but its larger CJK vocabulary offsets that for Chinese text.
// - Qwen 1.05: 151k byte-level BPE built on cl100k plus CJK merges; cl100k runs ~5% above o200k on English.
// - Mistral 1.15: a mix of Tekken (131k BPE, ≈ o200k) and the older 32k SentencePiece tokenizer (~30% above).
// - Llama 1.05: Llama 3 uses a 128k tiktoken vocabulary (cl100k plus 28k merges).
// - Other 1.1: an unknown open model; between the byte-level BPEs above.
const ESTIMATES: Record<Exclude<TokenizerFamily['id'], 'openai-o200k' | 'openai-cl100k'>, TokenizerFamily> = {
  claude: estimate('claude', 1.15, CLAUDE_IMAGE_TOKENS),
  gemini: estimate('gemini', 1.0, GEMINI_IMAGE_TOKENS),
  deepseek: estimate('deepseek', 1.1, OPENAI_IMAGE_TOKENS),
  qwen: estimate('qwen', 1.05, OPENAI_IMAGE_TOKENS),
  mistral: estimate('mistral', 1.15, OPENAI_IMAGE_TOKENS),
  llama: estimate('llama', 1.05, OPENAI_IMAGE_TOKENS),
  other: estimate('other', 1.1, OPENAI_IMAGE_TOKENS),
};

function estimate(id: TokenizerFamily['id'], factor: number, imageTokens: TokenizerFamily['imageTokens']): TokenizerFamily {
  return { id, encoding: 'o200k_base', method: 'estimate', factor, imageTokens };
}

// Name patterns win over provider type: an OpenAI-compatible server (OpenRouter, Azure, vLLM) may serve any family.
const NAME_PATTERNS: ReadonlyArray<readonly [RegExp, TokenizerFamily]> = [
  [/^gpt-(3\.5|4)(-|$)/, CL100K],
  [/^(gpt-|chatgpt-|o\d)/, O200K],
  [/^claude/, ESTIMATES.claude],
  [/^(gemini|gemma)/, ESTIMATES.gemini],
  [/^deepseek/, ESTIMATES.deepseek],
  [/^(qwen|qwq)/, ESTIMATES.qwen],
  [/^(mistral|codestral|ministral|magistral|pixtral|devstral|open-mistral|open-mixtral)/, ESTIMATES.mistral],
  [/^(llama|meta-llama)/, ESTIMATES.llama],
];

const BY_PROVIDER_TYPE: Partial<Record<ProviderType, TokenizerFamily>> = {
  openai: O200K,
  anthropic: ESTIMATES.claude,
  gemini: ESTIMATES.gemini,
  deepseek: ESTIMATES.deepseek,
  qwen: ESTIMATES.qwen,
  mistral: ESTIMATES.mistral,
  groq: ESTIMATES.llama,
};

/** Families already picked, per provider type and model name; forgotten wholesale past this many names. */
const REMEMBERED_NAMES = 1024;
const picked = new Map<ProviderType, Map<string, TokenizerFamily>>();

/**
 * Picks how to count prompts for a target: by model name (ignoring `vendor/` prefixes), else by provider type.
 * Remembered per provider type and model, since a request asks this once per count (admission, each attempt).
 */
export function tokenizerFamilyFor(target: CountTarget): TokenizerFamily {
  let byModel = picked.get(target.provider.type);
  const known = byModel?.get(target.model);
  if (known) return known;
  const family = pickFamily(target);
  if (!byModel) {
    byModel = new Map();
    picked.set(target.provider.type, byModel);
  }
  // Direct `provider/model` routes accept any model name, so the memory is bounded.
  if (byModel.size >= REMEMBERED_NAMES) byModel.clear();
  byModel.set(target.model, family);
  return family;
}

function pickFamily(target: CountTarget): TokenizerFamily {
  const lower = target.model.toLowerCase();
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  for (const [pattern, family] of NAME_PATTERNS) if (pattern.test(name)) return family;
  return BY_PROVIDER_TYPE[target.provider.type] ?? ESTIMATES.other;
}
