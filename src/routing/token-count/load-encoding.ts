import { createRequire } from 'node:module';
import { EXACT_COUNT_MAX_CHARS } from './bounded-text-count.js';
import { TextCountCache } from './text-count-cache.js';
import type { EncodingName } from './tokenizer-family.js';

/** Counts the tokens of plain text (special-token strings in user text are counted as ordinary text). */
export type CountTextTokens = (text: string) => number;

interface EncodingModule {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

// Each encoding's rank table takes ~0.5 s and ~35 MB to load, and most requests never need it (the byte bound
// clears them), so encodings load synchronously on first use through the package's CommonJS build and stay cached.
const require = createRequire(import.meta.url);
const loaded = new Map<EncodingName, CountTextTokens>();

// Without this, text containing `<|endoftext|>` throws; providers treat such text as ordinary characters.
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

function isEncodingModule(value: unknown): value is EncodingModule {
  return typeof value === 'object' && value !== null && typeof (value as { countTokens?: unknown }).countTokens === 'function';
}

/** The token counter for an encoding, loaded once per process. */
export function textTokenCounter(encoding: EncodingName): CountTextTokens {
  const cached = loaded.get(encoding);
  if (cached) return cached;
  const module: unknown = require(`gpt-tokenizer/cjs/encoding/${encoding}`);
  if (!isEncodingModule(module)) throw new Error(`gpt-tokenizer encoding ${encoding} has no countTokens`);
  const count: CountTextTokens = (text) => (text === '' ? 0 : module.countTokens(text, ORDINARY_TEXT));
  loaded.set(encoding, count);
  return count;
}

/**
 * At most this many characters of remembered texts per encoding (~4 MB when the texts are ASCII): room for the system
 * prompts and recent conversations of many clients at once.
 */
const REMEMBERED_CHARS = 2 * 1024 * 1024;
const remembered = new Map<EncodingName, CountTextTokens>();

/**
 * The same counts as `textTokenCounter`, remembered per text (`TextCountCache`): for whole message texts, which
 * clients resend turn after turn; not for the samples of a huge prompt, which never repeat.
 */
export function rememberingTextTokenCounter(encoding: EncodingName): CountTextTokens {
  const cached = remembered.get(encoding);
  if (cached) return cached;
  const cache = new TextCountCache(textTokenCounter(encoding), REMEMBERED_CHARS, EXACT_COUNT_MAX_CHARS);
  const count: CountTextTokens = (text) => cache.count(text);
  remembered.set(encoding, count);
  return count;
}
