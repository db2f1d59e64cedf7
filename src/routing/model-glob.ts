/** Glob aliases: a configured model name with `*` (any run of characters) or `?` (one character) matches many names. */

const compiled = new Map<string, RegExp>();

/** Whether a configured model name is a glob pattern rather than an exact name. */
export function isModelGlob(name: string): boolean {
  return name.includes('*') || name.includes('?');
}

function toRegExp(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|/-]/g, '\\$&'))).join('');
    regex = new RegExp(`^${source}$`, 's');
    // Patterns come only from configuration, so this cache is bounded by the config's size.
    compiled.set(pattern, regex);
  }
  return regex;
}

/** How specific a pattern is: its literal characters count; `?` counts less than a literal, `*` nothing. */
function specificity(pattern: string): number {
  let score = 0;
  for (const c of pattern) score += c === '*' ? 0 : c === '?' ? 1 : 2;
  return score;
}

/**
 * The configured glob that matches `model`, the most specific one when several do (most literal characters; on a
 * tie, the one listed first). Exact names are looked up before this and always win.
 */
export function matchModelGlob(model: string, names: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const name of names) {
    if (!isModelGlob(name) || !toRegExp(name).test(model)) continue;
    const score = specificity(name);
    if (score > bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best;
}
