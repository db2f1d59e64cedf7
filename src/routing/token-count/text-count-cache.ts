import type { CountTextTokens } from './load-encoding.js';

/** Each entry is charged this many characters on top of its text, for the map entry and the number it holds. */
const ENTRY_OVERHEAD_CHARS = 64;

/**
 * Token counts remembered per text, least recently used dropped first, bounded by the characters held. Agent and chat
 * traffic resends its system prompt and the whole conversation so far on every turn, so most of a request's texts
 * were counted before; the tokenizer is the costliest step of estimating a request (its regex splitting and BPE
 * lookups, ~13 KB of garbage for a four-message chat). A count is a pure function of the text and the encoding, so a
 * remembered count is the count.
 */
export class TextCountCache {
  private readonly counts = new Map<string, number>();
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
    const known = this.counts.get(text);
    if (known !== undefined) {
      // Move it to the young end, so a system prompt every request sends stays while one-off texts age out.
      this.counts.delete(text);
      this.counts.set(text, known);
      return known;
    }
    const tokens = this.countText(text);
    if (text.length > this.maxTextChars) return tokens;
    this.counts.set(text, tokens);
    this.heldChars += text.length + ENTRY_OVERHEAD_CHARS;
    for (const oldest of this.counts.keys()) {
      if (this.heldChars <= this.maxChars) break;
      this.counts.delete(oldest);
      this.heldChars -= oldest.length + ENTRY_OVERHEAD_CHARS;
    }
    return tokens;
  }

  /** Characters held, entry charges included (for tests). */
  get size(): number {
    return this.heldChars;
  }
}
