import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { EXACT_COUNT_MAX_CHARS } from './bounded-text-count.js';
import { TextCountCache } from './text-count-cache.js';
import type { EncodingName } from './tokenizer-family.js';

/** Counts the tokens of plain text (special-token strings in user text are counted as ordinary text). */
export type CountTextTokens = (text: string) => number;

interface EncodingApi {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

interface EncodingFactory {
  GptEncoding: { getEncodingApi(name: EncodingName, ranks: () => (string | number[])[]): EncodingApi };
}

// Each encoding's rank table takes ~0.5 s to load, and most requests never need it (the byte bound clears them), so
// encodings load synchronously on first use and stay cached. The ranks are read from the package's `.tiktoken` data
// rather than by requiring its generated `bpeRanks` module: compiling that module's 2 MB array literals left ~20 MB
// more resident for the life of the process (parser memory the allocator keeps, the literals' boilerplates), and
// every governed request counts tokens, so every governed gateway paid it.
const require = createRequire(import.meta.url);
const loaded = new Map<EncodingName, CountTextTokens>();

// Without this, text containing `<|endoftext|>` throws; providers treat such text as ordinary characters.
const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() };

function isEncodingFactory(value: unknown): value is EncodingFactory {
  const factory = typeof value === 'object' && value !== null ? (value as { GptEncoding?: unknown }).GptEncoding : undefined;
  return typeof factory === 'function' && typeof (factory as { getEncodingApi?: unknown }).getEncodingApi === 'function';
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An encoding's ranks from its `.tiktoken` file (`<base64 token> <rank>` per line), in the form gpt-tokenizer's own
 * generated tables have: index = rank, a token that is whole UTF-8 as its text, any other as its bytes, and '' for
 * a rank the file skips (the package's codegen, `src/codegen/generateJsBpe.ts`, builds them the same way).
 */
export function readTiktokenRanks(text: string): (string | number[])[] {
  const ranks: (string | number[])[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const space = text.indexOf(' ', start);
    if (space < start || space > end) throw new Error(`malformed tiktoken line at offset ${start}`);
    const bytes = Buffer.from(text.slice(start, space), 'base64');
    const rank = Number(text.slice(space + 1, end));
    while (ranks.length < rank) ranks.push('');
    ranks.push(wholeUtf8(bytes) ?? [...bytes]);
    start = end + 1;
  }
  return ranks;
}

/** The bytes as text when they are complete UTF-8 that encodes back to the same length, else undefined. */
function wholeUtf8(bytes: Buffer): string | undefined {
  try {
    const text = STRICT_UTF8.decode(bytes);
    return Buffer.byteLength(text, 'utf8') === bytes.length ? text : undefined;
  } catch {
    return undefined;
  }
}

/** The token counter for an encoding, loaded once per process. */
export function textTokenCounter(encoding: EncodingName): CountTextTokens {
  const cached = loaded.get(encoding);
  if (cached) return cached;
  const factory: unknown = require('gpt-tokenizer/cjs/GptEncoding');
  if (!isEncodingFactory(factory)) throw new Error('gpt-tokenizer has no GptEncoding.getEncodingApi');
  const ranks = readTiktokenRanks(readFileSync(require.resolve(`gpt-tokenizer/data/${encoding}.tiktoken`), 'latin1'));
  const api = factory.GptEncoding.getEncodingApi(encoding, () => ranks);
  const count: CountTextTokens = (text) => (text === '' ? 0 : api.countTokens(text, ORDINARY_TEXT));
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
