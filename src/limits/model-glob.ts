/** Compiles `*` globs (any run of characters, including `/`) into one anchored regular expression. */
export function compileModelGlobs(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  const alternatives = patterns.map((pattern) => pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

/** Whether a model name matches a key's allowed-model globs; no globs allows every model. */
export function modelAllowed(globs: RegExp | undefined, model: string): boolean {
  return globs === undefined || globs.test(model);
}
