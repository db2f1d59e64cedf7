const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
/** Deeper values are left to JSON.parse rather than risk this scanner's recursion. */
const MAX_DEPTH = 64;

/** Characters JSON allows after a backslash, besides `u`. */
const SHORT_ESCAPES: ReadonlySet<number> = new Set([...'"\\/bfnrt'].map((char) => char.charCodeAt(0)));

/**
 * The values a template leaves open, by the letter that marks them in a shape, as regular-expression source. They are
 * a JSON string of whatever length (exactly what JSON.parse accepts between quotes), a JSON string of at least one
 * character (the content, so that a match appends text), and a JSON number.
 */
const OPEN_VALUES: Readonly<Record<string, string>> = {
  s: String.raw`"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`,
  t: String.raw`"(?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))+"`,
  n: String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`,
};
type OpenValue = 's' | 't' | 'n';
/**
 * Marks an open value in a shape, followed by its letter. What lies between open values — keys (strings without
 * escapes), punctuation, JSON whitespace, literals, the index — never holds a control character, so a shape reads
 * back unambiguously.
 */
const OPEN_MARK = '\u0000';

/** Frames longer than this are not made templates: real delta frames are a few hundred bytes. */
const MAX_TEMPLATE_FRAME = 2048;
/**
 * Compiled templates by shape, the first compiled first out. Compiling one costs ~100 µs, the price of ~100 parses:
 * a stream compiles a shape only when two of its plain frames in a row have it, and later streams of the same
 * upstream, which share their shape, find it here.
 */
const templates = new Map<string, RegExp>();
const MAX_TEMPLATES = 64;
/**
 * The template learnt last, by any stream: a new stream tries it before scanning, since consecutive streams are often
 * of one shape. A template's match proves a frame plain whichever stream it was learnt from.
 */
let latest: RegExp | undefined;

/**
 * After this many scans in a row that gave no template (chunks that are not plain — tool calls, reasoning — or plain
 * chunks whose shape changes each time, such as logprobs of varying length), only every RESCAN_EVERY-th frame is
 * scanned: a scan costs about what the parse it spares does, and a rejected scan adds to it.
 */
const MISSES_BEFORE_BACKOFF = 3;
const RESCAN_EVERY = 16;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function isHex(code: number): boolean {
  return isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The template a shape stands for: its text as a regular expression, each open value matching what it may hold. */
function compileShape(shape: string): RegExp {
  const [head = '', ...rest] = shape.split(OPEN_MARK);
  const open = rest.map((piece) => (OPEN_VALUES[piece.charAt(0)] ?? '') + escapeRegExp(piece.slice(1)));
  return new RegExp(`^${escapeRegExp(head)}${open.join('')}$`);
}

/** What a frame's text says, read without parsing it: text to append, nothing to append, or not provably plain. */
export type PlainDeltaFrame = 'text' | 'empty' | undefined;

/**
 * Recognises one stream's plain text delta frames without parsing them: the chunks `plainTextDelta` reads as text.
 * A frame is first scanned (see PlainDeltaScan); the shape of a frame that scans as plain becomes a template, a
 * regular expression of its text with every string and number value but the choice's `index` left open, so that the
 * next frames of that shape — other text, other `obfuscation`, other ids — are recognised by one native match. A
 * frame the template does not match is scanned again; every answer other than 'text' or 'empty' means "parse it".
 */
export class PlainDeltaFrames {
  private template: RegExp | undefined;
  /** The shape of the last plain frame scanned, when it was not yet a template. */
  private lastShape: string | undefined;
  private misses = 0;
  private unscanned = 0;

  /** What this frame's text is, or undefined when only parsing it can tell. */
  read(text: string): PlainDeltaFrame {
    // Every value the template leaves open is one that plainTextDelta reads as text whatever it holds, and its content
    // is non-empty text: a match is a plain delta that appends text.
    const template = this.template ?? latest;
    if (template?.test(text) === true) {
      this.template = template;
      this.misses = 0;
      return 'text';
    }
    if (this.misses >= MISSES_BEFORE_BACKOFF && ++this.unscanned < RESCAN_EVERY) return undefined;
    this.unscanned = 0;
    const scan = new PlainDeltaScan(text);
    const frame = scan.frame();
    const learnt = frame !== undefined && text.length <= MAX_TEMPLATE_FRAME ? this.learn(scan.shape()) : undefined;
    if (learnt === undefined) this.misses++;
    else {
      this.template = latest = learnt;
      this.misses = 0;
    }
    return frame;
  }

  /** The template of a plain frame's shape: a known one, or compiled when the previous plain frame had the shape. */
  private learn(shape: string): RegExp | undefined {
    const known = templates.get(shape);
    if (known !== undefined || shape !== this.lastShape) {
      this.lastShape = known === undefined ? shape : undefined;
      return known;
    }
    this.lastShape = undefined;
    if (templates.size >= MAX_TEMPLATES) {
      const [oldest] = templates.keys();
      if (oldest !== undefined) templates.delete(oldest);
    }
    const compiled = compileShape(shape);
    templates.set(shape, compiled);
    return compiled;
  }
}

/** Which object a scan is reading the members of: each level allows its own keys. */
const enum Level {
  Top,
  Choice,
  Delta,
  Any,
}

/**
 * One frame's scan: whether the text is valid JSON holding a chunk `plainTextDelta` reads as text — an object whose
 * `choices` is one choice (index 0 or null, finish reason absent or null) whose delta holds a `content` string and
 * otherwise only `role` and null `refusal`, `reasoning_content` or `tool_calls`, with no `x_groq` and no `usage` or
 * `error` but null. Other fields, in any order, are checked for syntax only. A repeated key this reads, an escaped
 * key or anything it is unsure of makes the frame not plain. Each reader returns false when the text is not what it
 * reads.
 */
class PlainDeltaScan {
  private at = 0;
  private content: PlainDeltaFrame;
  /** The keys this reads (their names differ from level to level), each allowed once. */
  private readonly seen = new Set<string>();
  /** The shape so far: the text up to `copied`, its open values replaced by their marks. */
  private shapeText = '';
  private copied = 0;

  constructor(private readonly text: string) {}

  frame(): PlainDeltaFrame {
    this.skipSpace();
    const ok = this.members(OPEN_OBJECT, CLOSE_OBJECT, Level.Top, 0);
    return ok && this.seen.has('choices') && this.skipSpace() === this.text.length ? this.content : undefined;
  }

  /** The frame's text with each open value replaced by OPEN_MARK and its letter: what its template is made from. */
  shape(): string {
    return this.shapeText + this.text.slice(this.copied);
  }

  /**
   * An object or array opening at the cursor (`open` then `close`), each member read at `level`: for objects, a key
   * (a string without escapes) and a colon first.
   */
  private members(open: number, close: number, level: Level, depth: number): boolean {
    if (depth > MAX_DEPTH || this.code() !== open) return false;
    this.at++;
    this.skipSpace();
    if (this.code() === close) {
      this.at++;
      return true;
    }
    for (;;) {
      if (!(open === OPEN_OBJECT ? this.member(level, depth) : this.value(depth + 1))) return false;
      this.skipSpace();
      const next = this.code();
      this.at++;
      if (next === close) return true;
      if (next !== COMMA) return false;
      this.skipSpace();
    }
  }

  /** One object member: its key, and its value as the key's level wants it. */
  private member(level: Level, depth: number): boolean {
    const start = this.at;
    if (this.code() !== QUOTE || !this.string(false)) return false;
    const key = this.text.slice(start + 1, this.at - 1);
    this.skipSpace();
    if (this.code() !== COLON) return false;
    this.at++;
    this.skipSpace();
    switch (level) {
      case Level.Top:
        if (key === 'choices') return this.first(key) && this.choices();
        if (key === 'usage' || key === 'error') return this.first(key) && this.literal('null');
        return key !== 'x_groq' && this.value(depth + 1);
      case Level.Choice:
        if (key === 'delta') return this.first(key) && this.members(OPEN_OBJECT, CLOSE_OBJECT, Level.Delta, depth + 1) && this.content !== undefined;
        if (key === 'finish_reason') return this.first(key) && this.literal('null');
        // Only a literal 0 or null, kept as it is in a template: other spellings of zero (`0.0`, `-0`) are parsed.
        if (key === 'index') return this.first(key) && (this.literal('0') || this.literal('null'));
        return this.value(depth + 1);
      case Level.Delta:
        if (key === 'content') return this.first(key) && this.deltaContent();
        if (key === 'role') return this.first(key) && this.value(depth + 1);
        if (key === 'refusal' || key === 'reasoning_content' || key === 'tool_calls') return this.first(key) && this.literal('null');
        return false;
      default:
        return this.value(depth + 1);
    }
  }

  /** `choices`: an array of exactly one plain choice. */
  private choices(): boolean {
    if (this.code() !== OPEN_ARRAY) return false;
    this.at++;
    this.skipSpace();
    if (!this.members(OPEN_OBJECT, CLOSE_OBJECT, Level.Choice, 2) || !this.seen.has('delta')) return false;
    this.skipSpace();
    if (this.code() !== CLOSE_ARRAY) return false;
    this.at++;
    return true;
  }

  /** The delta's `content`: a string, open in a template as text (the empty delta it would also match appends nothing). */
  private deltaContent(): boolean {
    const start = this.at;
    if (this.code() !== QUOTE || !this.string()) return false;
    this.content = this.at - start > 2 ? 'text' : 'empty';
    this.opened(start, 't');
    return true;
  }

  /** True the first time a key is read: JSON.parse keeps the last of repeated keys, which the scan would not judge. */
  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  /** Any JSON value at the cursor, checked for syntax only; its strings and numbers are open in a template. */
  private value(depth: number): boolean {
    const start = this.at;
    switch (this.code()) {
      case QUOTE:
        return this.string() && this.opened(start, 's');
      case OPEN_OBJECT:
        return this.members(OPEN_OBJECT, CLOSE_OBJECT, Level.Any, depth);
      case OPEN_ARRAY:
        return this.members(OPEN_ARRAY, CLOSE_ARRAY, Level.Any, depth);
      case 0x74:
        return this.literal('true');
      case 0x66:
        return this.literal('false');
      case 0x6e:
        return this.literal('null');
      default:
        return this.number() && this.opened(start, 'n');
    }
  }

  /** Notes the value just read from `start` as open in a template. */
  private opened(start: number, kind: OpenValue): true {
    this.shapeText += this.text.slice(this.copied, start) + OPEN_MARK + kind;
    this.copied = this.at;
    return true;
  }

  /** A string at the cursor (on its quote): no raw control characters, valid escapes, or none when `escapes` is false. */
  private string(escapes = true): boolean {
    const { text } = this;
    for (let i = this.at + 1; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) {
        this.at = i + 1;
        return true;
      }
      if (code < 0x20) return false;
      if (code !== BACKSLASH) continue;
      if (!escapes) return false;
      const escaped = text.charCodeAt(++i);
      if (escaped === 0x75) {
        if (!(isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2)) && isHex(text.charCodeAt(i + 3)) && isHex(text.charCodeAt(i + 4)))) return false;
        i += 4;
      } else if (!SHORT_ESCAPES.has(escaped)) return false;
    }
    return false;
  }

  /** A number at the cursor, in JSON's grammar: `-`? (0 | [1-9][0-9]*) (. digits)? ([eE] [+-]? digits)?. */
  private number(): boolean {
    if (this.code() === MINUS) this.at++;
    if (this.code() === ZERO) this.at++;
    else if (!this.digits()) return false;
    if (this.code() === DOT) {
      this.at++;
      if (!this.digits()) return false;
    }
    const exponent = this.code();
    if (exponent === 0x65 || exponent === 0x45) {
      this.at++;
      const sign = this.code();
      if (sign === PLUS || sign === MINUS) this.at++;
      if (!this.digits()) return false;
    }
    return true;
  }

  /** One or more digits at the cursor. */
  private digits(): boolean {
    const from = this.at;
    while (isDigit(this.code())) this.at++;
    return this.at > from;
  }

  /** The given literal at the cursor; what follows it is the enclosing reader's to check. */
  private literal(word: string): boolean {
    if (!this.text.startsWith(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  private code(): number {
    return this.text.charCodeAt(this.at);
  }

  /** Moves past JSON whitespace; returns the new position. */
  private skipSpace(): number {
    const { text } = this;
    let i = this.at;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
    }
    this.at = i;
    return i;
  }
}
