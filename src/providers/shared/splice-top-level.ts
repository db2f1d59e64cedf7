const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The index of the quote that closes the JSON string opening at `start`, or -1. */
function closingQuote(bytes: Uint8Array, start: number): number {
  let end = bytes.indexOf(QUOTE, start + 1);
  while (end > 0) {
    let backslashes = 0;
    while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = bytes.indexOf(QUOTE, end + 1);
  }
  return -1;
}

function isSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function skipSpace(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  return i;
}

/** Whether the string closing at `end` is an object's key: a colon follows it. */
function isKey(bytes: Uint8Array, end: number): boolean {
  return bytes[skipSpace(bytes, end + 1)] === COLON;
}

/**
 * The index just past the JSON value starting at `start` (text `JSON.parse` accepted), or -1; adds the object keys it
 * holds, at any depth, to `counted.keys`.
 */
function valueEnd(bytes: Uint8Array, start: number, counted: { keys: number }): number {
  const first = bytes[start];
  if (first === QUOTE) {
    const end = closingQuote(bytes, start);
    return end < 0 ? -1 : end + 1;
  }
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start;
    while (i < bytes.length && bytes[i] !== COMMA && bytes[i] !== CLOSE_BRACE && bytes[i] !== CLOSE_BRACKET && !isSpace(bytes[i])) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === QUOTE) {
      i = closingQuote(bytes, i);
      if (i < 0) return -1;
      if (isKey(bytes, i)) counted.keys++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
  }
  return -1;
}

/** Whether `bytes[start, end)` spells `key` (ASCII, no escapes). */
function spells(bytes: Uint8Array, start: number, end: number, key: string): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (bytes[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** One member of the top-level object: where its key's quote opens, where its value starts and ends. */
interface Member {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/** A range of the text to drop, and what to put in its place. */
interface Cut {
  from: number;
  to: number;
  text: string;
}

/**
 * The UTF-8 text of a JSON object with some top-level members changed and every other byte as it was: each key of
 * `changes` whose value is JSON text gets that value (replaced in place, or added at the end), each whose value is
 * `undefined` is removed. Undefined when the text is not an object, holds another number of object keys at any depth
 * than `keyCount` (those of the value it was parsed into: more means a key appears twice in some object, which the
 * gateway's parser read one way and an upstream's may read the other), has a top-level key written with escapes, or when the changes
 * would leave the object empty of its keys; the caller then serialises the parsed value. `bytes` must be text
 * `JSON.parse` accepted; `changes`' keys must need no escaping.
 */
export function spliceTopLevel(bytes: Uint8Array, changes: ReadonlyMap<string, string | undefined>, keyCount: number): Buffer | undefined {
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  i++;
  const counted = { keys: 0 };
  let members = 0;
  let close = -1;
  const found = new Map<string, Member>();
  while (i < bytes.length) {
    i = skipSpace(bytes, i);
    const c = bytes[i];
    if (c === CLOSE_BRACE) {
      close = i;
      break;
    }
    if (c === COMMA) {
      i++;
      continue;
    }
    if (c !== QUOTE) return undefined;
    const keyEnd = closingQuote(bytes, i);
    if (keyEnd < 0) return undefined;
    if (bytes.subarray(i + 1, keyEnd).includes(BACKSLASH)) return undefined;
    const colon = skipSpace(bytes, keyEnd + 1);
    if (bytes[colon] !== COLON) return undefined;
    counted.keys++;
    members++;
    const start = skipSpace(bytes, colon + 1);
    const end = valueEnd(bytes, start, counted);
    if (end < 0) return undefined;
    for (const key of changes.keys()) {
      if (!spells(bytes, i + 1, keyEnd, key)) continue;
      if (found.has(key)) return undefined;
      found.set(key, { keyStart: i, valueStart: start, valueEnd: end });
    }
    i = end;
  }
  if (close < 0 || counted.keys !== keyCount) return undefined;
  const cuts: Cut[] = [];
  let added = '';
  let kept = members;
  for (const [key, text] of changes) {
    const member = found.get(key);
    if (member && text !== undefined) cuts.push({ from: member.valueStart, to: member.valueEnd, text });
    else if (member) {
      cuts.push(removal(bytes, member));
      kept--;
    } else if (text !== undefined) added += `,"${key}":${text}`;
  }
  // Added members follow a kept one's comma; with none kept the first comma would be misplaced.
  if (added !== '' && kept === 0) return undefined;
  if (added !== '') cuts.push({ from: close, to: close, text: added });
  return applyCuts(bytes, cuts);
}

/** The cut that removes a member with the comma that separates it from the next one, or else from the one before. */
function removal(bytes: Uint8Array, member: Member): Cut {
  const after = skipSpace(bytes, member.valueEnd);
  if (bytes[after] === COMMA) return { from: member.keyStart, to: skipSpace(bytes, after + 1), text: '' };
  let before = member.keyStart - 1;
  while (before > 0 && isSpace(bytes[before])) before--;
  return bytes[before] === COMMA ? { from: before, to: member.valueEnd, text: '' } : { from: member.keyStart, to: member.valueEnd, text: '' };
}

/** The bytes with each cut applied, or undefined when two cuts overlap (two neighbours removed, each with a comma). */
function applyCuts(bytes: Uint8Array, cuts: Cut[]): Buffer | undefined {
  // Nothing to change (a Gemini body, whose model is in the URL): the bytes themselves, not a copy of them.
  if (cuts.length === 0) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  cuts.sort((a, b) => a.from - b.from);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const cut of cuts) {
    if (cut.from < at) return undefined;
    parts.push(bytes.subarray(at, cut.from), Buffer.from(cut.text));
    at = cut.to;
  }
  parts.push(bytes.subarray(at));
  // Buffer.concat, not a new Uint8Array: a typed array is zero-filled first, ~6 µs for a 100 KB body.
  return Buffer.concat(parts);
}
