const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** The index just past the JSON string that opens at `start`, or -1 when it does not close. */
function stringEnd(json: string, start: number): number {
  // indexOf finds the next quote natively; a character-by-character loop cost about 30 instructions a character.
  let end = json.indexOf('"', start + 1);
  while (end > 0) {
    let backslashes = 0;
    while (json.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end + 1;
    end = json.indexOf('"', end + 1);
  }
  return -1;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(json: string, from: number): number {
  let i = from;
  while (i < json.length && isSpace(json.charCodeAt(i))) i++;
  return i;
}

/**
 * The index in `names` of the key whose quoted text spans [start, end), or -1. Compared in place: slicing each key
 * out of the answer to look it up allocated a string per key, and upstream keys hold no escapes, which are decoded
 * only when a backslash is there.
 */
function nameIndex(json: string, start: number, end: number, names: readonly string[]): number {
  const length = end - start;
  for (let n = 0; n < names.length; n++) {
    const name = names[n] as string;
    if (name.length !== length) continue;
    let k = 0;
    while (k < length && json.charCodeAt(start + k) === name.charCodeAt(k)) k++;
    if (k === length) return n;
  }
  for (let k = start; k < end; k++) if (json.charCodeAt(k) === BACKSLASH) return names.indexOf(JSON.parse(json.slice(start - 1, end + 1)) as string);
  return -1;
}

/**
 * A string as JSON text. Ids and model names are printable ASCII without quotes or backslashes, written between quotes
 * as they are: `JSON.stringify` of a short string costs a call into V8's runtime.
 */
function quoted(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** The text of a JSON object up to its last rewritten value, as it was and as rewritten; the rest is unchanged. */
export interface RewrittenHead {
  upstream: string;
  rewritten: string;
}

/**
 * The head of `json` (a JSON object's text) with the string values of the named top-level keys replaced: the whole
 * text is `rewritten` + `json.slice(upstream.length)`, every other byte untouched. Undefined when the text is not an
 * object or a named key is missing at the top level or holds no string, so the caller re-serialises instead. Stops
 * reading once every key was found: ids and models lead upstream answers, and the frames of one stream share the head.
 * Found names are bits of one number: past 32 names their bits overlap, so they are never all counted as found and the
 * caller re-serialises.
 */
export function rewriteTopLevelStrings(json: string, values: Readonly<Record<string, string>>): RewrittenHead | undefined {
  let i = skipSpace(json, 0);
  if (json.charCodeAt(i) !== 0x7b) return undefined;
  const names = Object.keys(values);
  // The names found so far, one bit each: a set per call cost more than the few names it held.
  let found = 0;
  let seen = 0;
  let out = '';
  let copied = 0;
  let depth = 0;
  while (i < json.length && seen < names.length) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(json, i);
      if (end < 0) return undefined;
      // Upstream answers are compact: whitespace is looked for only where there is some.
      const colon = depth !== 1 ? -1 : isSpace(json.charCodeAt(end)) ? skipSpace(json, end) : end;
      if (colon < 0 || json.charCodeAt(colon) !== COLON) {
        i = end;
        continue;
      }
      // A string followed by a colon at depth 1 is a key of the top-level object.
      const valueStart = isSpace(json.charCodeAt(colon + 1)) ? skipSpace(json, colon + 1) : colon + 1;
      const index = nameIndex(json, i + 1, end - 1, names);
      const replacement = index < 0 ? undefined : values[names[index] as string];
      if (replacement === undefined) {
        i = valueStart;
        continue;
      }
      if (json.charCodeAt(valueStart) !== QUOTE) return undefined;
      const valueEnd = stringEnd(json, valueStart);
      if (valueEnd < 0) return undefined;
      out += json.slice(copied, valueStart) + quoted(replacement);
      copied = valueEnd;
      if ((found & (1 << index)) === 0) {
        found |= 1 << index;
        seen++;
      }
      i = valueEnd;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return seen === names.length ? { upstream: json.slice(0, copied), rewritten: out } : undefined;
}
