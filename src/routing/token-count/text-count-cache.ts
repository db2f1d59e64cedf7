import type { CountTextTokens } from './load-encoding.js';

/** Each entry is charged this many characters on top of its text, for the map entry and the number it holds. */
const ENTRY_OVERHEAD_CHARS = 64;

/** A remembered count, with the text it was first counted for and whether it was asked for again since. */
interface Entry {
  text: string;
  tokens: number;
  used: boolean;
}

/**
 * Token counts remembered per text, bounded by the characters held. Agent and chat traffic resends its system prompt
 * and the whole conversation so far on every turn, so most of a request's texts were counted before; the tokenizer
 * is the costliest step of estimating a request (its regex splitting and BPE lookups, ~13 KB of garbage for a
 * four-message chat). A count is a pure function of the text and the encoding, so a remembered count is the count.
 *
 * Eviction is second chance (CLOCK): a hit only marks its entry, and when the cache is over its bound the oldest
 * entries are dropped unless marked, marked ones moving to the young end unmarked. A true LRU would re-insert on every
 * hit, which stores the new request's copy of the text in the long-lived map: every repeated text of every request
 * would then survive to the old generation.
 */
export class TextCountCache {
  private readonly entries = new Map<string, Entry>();
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
    const known = this.entries.get(text);
    if (known) {
      known.used = true;
      return known.tokens;
    }
    const tokens = this.countText(text);
    if (text.length > this.maxTextChars) return tokens;
    this.entries.set(text, { text, tokens, used: false });
    this.heldChars += text.length + ENTRY_OVERHEAD_CHARS;
    if (this.heldChars > this.maxChars) this.evict();
    return tokens;
  }

  /** Characters held, entry charges included (for tests). */
  get size(): number {
    return this.heldChars;
  }

  private evict(): void {
    // Each marked entry is passed over at most once (it comes back unmarked), so this ends.
    for (const entry of this.entries.values()) {
      if (this.heldChars <= this.maxChars) return;
      this.entries.delete(entry.text);
      if (entry.used) {
        entry.used = false;
        this.entries.set(entry.text, entry);
      } else {
        this.heldChars -= entry.text.length + ENTRY_OVERHEAD_CHARS;
      }
    }
  }
}
