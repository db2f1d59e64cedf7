import type { CountTextTokens } from './load-encoding.js';

/** Each text is charged this many characters on top of its own, for the map entry and the number it holds. */
const ENTRY_OVERHEAD_CHARS = 64;

/** Characters a key reads at evenly spaced places in a text, besides its first and last ones. */
const SAMPLED_CHARS = 16;
/**
 * Leading and trailing characters a key reads: texts that differ often differ at one end (a tool's name in its JSON,
 * a turn's end). Few, because a key costs about 19 instructions per character read: reading every character of a
 * four-message chat (330) was 6.4 K instructions per request, more than half of its token estimate (docs/benchmarks.md).
 */
const HEAD_CHARS = 16;
const TAIL_CHARS = 8;
/** Texts held under one key at most; a further text with that key is counted each time. */
const MAX_TEXTS_PER_KEY = 8;

function mix(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/**
 * A text's key in the cache: a small integer mixed (FNV-1a's step) from its length, its first and last characters and
 * characters at evenly spaced places between. Reading about 40 characters, not all: keying the map by the text itself made
 * V8 hash every character of every message of every request (each request parses its own copies), ~170 µs for a
 * 100 KB agent request (docs/benchmarks.md). Texts may share a key; each is held with its text, compared on a hit.
 */
export function textKey(text: string): number {
  const { length } = text;
  let hash = mix(0x811c9dc5, length);
  const head = Math.min(length, HEAD_CHARS);
  for (let i = 0; i < head; i++) hash = mix(hash, text.charCodeAt(i));
  const step = Math.max(1, Math.floor(length / SAMPLED_CHARS));
  for (let i = head; i < length - TAIL_CHARS; i += step) hash = mix(hash, text.charCodeAt(i));
  for (let i = Math.max(head, length - TAIL_CHARS); i < length; i++) hash = mix(hash, text.charCodeAt(i));
  // Below 2^30, so V8 keeps the key a small integer (a heap number would be allocated and hashed).
  return hash >>> 2;
}

/** The texts remembered under one key, their counts, whether one was asked for again since, and the characters charged. */
interface Group {
  key: number;
  texts: string[];
  tokens: number[];
  used: boolean;
  chars: number;
}

/**
 * Token counts remembered per text, bounded by the characters held. Agent and chat traffic resends its system prompt
 * and the whole conversation so far on every turn, so most of a request's texts were counted before; the tokenizer
 * is the costliest step of estimating a request (its regex splitting and BPE lookups, ~13 KB of garbage for a
 * four-message chat). A count is a pure function of the text and the encoding, so a remembered count is the count.
 *
 * Eviction is second chance (CLOCK), by key: a hit only marks its group, and when the cache is over its bound the
 * oldest groups are dropped unless marked, marked ones moving to the young end unmarked. A true LRU would re-insert on
 * every hit, which stores the new request's copy of the text in the long-lived map: every repeated text of every
 * request would then survive to the old generation.
 */
export class TextCountCache {
  private readonly groups = new Map<number, Group>();
  private heldChars = 0;

  /**
   * `maxChars` bounds what the cache holds (texts plus a per-entry charge); a text longer than `maxTextChars` is
   * counted each time rather than pushing out everything else.
   */
  constructor(
    private readonly countText: CountTextTokens,
    private readonly maxChars: number,
    private readonly maxTextChars: number,
  ) {}

  count(text: string): number {
    const key = textKey(text);
    const group = this.groups.get(key);
    if (group !== undefined) {
      const { texts } = group;
      for (let i = 0; i < texts.length; i++) {
        if (texts[i] !== text) continue;
        group.used = true;
        return group.tokens[i] as number;
      }
    }
    const tokens = this.countText(text);
    if (text.length > this.maxTextChars) return tokens;
    const charged = text.length + ENTRY_OVERHEAD_CHARS;
    if (group === undefined) {
      this.groups.set(key, { key, texts: [text], tokens: [tokens], used: false, chars: charged });
    } else {
      if (group.texts.length >= MAX_TEXTS_PER_KEY) return tokens;
      group.texts.push(text);
      group.tokens.push(tokens);
      group.chars += charged;
    }
    this.heldChars += charged;
    if (this.heldChars > this.maxChars) this.evict();
    return tokens;
  }

  /** Characters held, entry charges included (for tests). */
  get size(): number {
    return this.heldChars;
  }

  private evict(): void {
    // Each marked group is passed over at most once (it comes back unmarked), so this ends.
    for (const group of this.groups.values()) {
      if (this.heldChars <= this.maxChars) return;
      this.groups.delete(group.key);
      if (group.used) {
        group.used = false;
        this.groups.set(group.key, group);
      } else {
        this.heldChars -= group.chars;
      }
    }
  }
}
