/** Every (alias, task class)'s evidence is kept under this prefix, in the state store or in Redis. */
export const BANDIT_KEY_PREFIX = 'bandit:';

/** The key of one (alias, task class): alias names are free text, so the alias is encoded; the task class, one of a closed set, goes last. */
export function banditKey(alias: string, taskClass: string): string {
  return `${BANDIT_KEY_PREFIX}${encodeURIComponent(alias)}:${taskClass}`;
}

/** The (alias, task class) of a key `banditKey` made; undefined for any other key. */
export function parseBanditKey(key: string): { alias: string; taskClass: string } | undefined {
  if (!key.startsWith(BANDIT_KEY_PREFIX)) return undefined;
  const rest = key.slice(BANDIT_KEY_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return undefined;
  return { alias: decodeURIComponent(rest.slice(0, colon)), taskClass: rest.slice(colon + 1) };
}
