const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/** The index just past the JSON string that opens at `start`, or -1 when it does not close. */
function stringEnd(json: string, start: number): number {
  for (let i = start + 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

function skipSpace(json: string, from: number): number {
  let i = from;
  while (i < json.length && (json[i] === ' ' || json[i] === '\n' || json[i] === '\r' || json[i] === '\t')) i++;
  return i;
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
 */
export function rewriteTopLevelStrings(json: string, values: Readonly<Record<string, string>>): RewrittenHead | undefined {
  let i = skipSpace(json, 0);
  if (json[i] !== '{') return undefined;
  const wanted = Object.keys(values).length;
  const seen = new Set<string>();
  let out = '';
  let copied = 0;
  let depth = 0;
  while (i < json.length && seen.size < wanted) {
    const c = json.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(json, i);
      if (end < 0) return undefined;
      const colon = depth === 1 ? skipSpace(json, end) : -1;
      if (colon < 0 || json.charCodeAt(colon) !== COLON) {
        i = end;
        continue;
      }
      // A string followed by a colon at depth 1 is a key of the top-level object.
      const raw = json.slice(i + 1, end - 1);
      const key = raw.includes('\\') ? (JSON.parse(json.slice(i, end)) as string) : raw;
      const valueStart = skipSpace(json, colon + 1);
      const replacement = Object.hasOwn(values, key) ? values[key] : undefined;
      if (replacement === undefined) {
        i = valueStart;
        continue;
      }
      if (json.charCodeAt(valueStart) !== QUOTE) return undefined;
      const valueEnd = stringEnd(json, valueStart);
      if (valueEnd < 0) return undefined;
      out += json.slice(copied, valueStart) + JSON.stringify(replacement);
      copied = valueEnd;
      seen.add(key);
      i = valueEnd;
      continue;
    }
    if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
    i++;
  }
  return seen.size === wanted ? { upstream: json.slice(0, copied), rewritten: out } : undefined;
}
