import type { ProviderSettings } from './provider-target.js';
import { MAX_WALK_DEPTH } from './input-limits.js';

// Called as `hasOwnProperty.call` on a for-in key, V8's optimising compiler answers it from the loop's enum cache;
// `Object.hasOwn` it calls as a builtin, about 150 instructions a key.
const { hasOwnProperty } = Object.prototype;

const REDACTED = '[redacted]';

// Shorter configured values ("1", "true", an org id like "org") are not credentials and would mangle ordinary text.
const MIN_SECRET_LENGTH = 8;

/**
 * Removes the configured values of secrets, literally, whatever their shape: a key the shape-based `maskSecrets`
 * cannot recognise (an echoed custom token, a vendor's new format) is still caught because the gateway knows it.
 */
export class SecretScrubber {
  private needles: string[] = [];
  /** A text shorter than every needle holds none: most of a record's strings and keys are, and skip the search. */
  private shortest = Number.POSITIVE_INFINITY;

  constructor(secrets: Iterable<string> = []) {
    this.replace(secrets);
  }

  /** Swaps the secret set (after a config reload). */
  replace(secrets: Iterable<string>): void {
    const needles = new Set<string>();
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      needles.add(secret);
      // Log lines and stored records are JSON: the secret can appear in its escaped form.
      needles.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a secret that contains another is removed whole.
    this.needles = [...needles].sort((a, b) => b.length - a.length);
    this.shortest = this.needles.at(-1)?.length ?? Number.POSITIVE_INFINITY;
  }

  /** Whether there is no secret to scrub (none configured, or each too short to be one). */
  get empty(): boolean {
    return this.needles.length === 0;
  }

  /** The text with every configured secret replaced by `[redacted]`. */
  scrub(text: string): string {
    if (text.length < this.shortest) return text;
    let out = text;
    for (const needle of this.needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    return out;
  }

  /**
   * The value with secrets scrubbed from every string (keys included); deeper than the walk bound is cut. Only the
   * objects on the path to a scrubbed string are copied: a value without secrets (the common case) comes back as it
   * was, so the request record costs one read-only walk and no garbage.
   */
  scrubDeep<T>(value: T): T {
    return this.needles.length === 0 ? value : (this.scrubValue(value, 0) as T);
  }

  private scrubValue(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (typeof value !== 'object' || value === null) return value;
    if (depth >= MAX_WALK_DEPTH) return REDACTED;
    if (Array.isArray(value)) return this.scrubArray(value, depth);
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key in record) {
      if (!hasOwnProperty.call(record, key)) continue;
      const item = record[key];
      const cleanKey = this.scrub(key);
      const cleanItem = this.scrubValue(item, depth + 1);
      if (copy === undefined && (cleanKey !== key || cleanItem !== item)) copy = copyUpTo(record, key);
      if (copy !== undefined) copy[cleanKey] = cleanItem;
    }
    return copy ?? value;
  }

  private scrubArray(items: readonly unknown[], depth: number): readonly unknown[] {
    let copy: unknown[] | undefined;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      const clean = this.scrubValue(item, depth + 1);
      if (copy === undefined && clean !== item) copy = items.slice(0, index);
      if (copy !== undefined) copy.push(clean);
    }
    return copy ?? items;
  }
}

/** A new object with the own enumerable properties of `record` that come before `stop`, in order. */
function copyUpTo(record: Record<string, unknown>, stop: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in record) {
    if (key === stop) break;
    if (hasOwnProperty.call(record, key)) copy[key] = record[key];
  }
  return copy;
}

/** A provider's secrets: its API key, the values of its extra headers (tokens, org keys) and base-URL credentials. */
export function providerSecrets(provider: ProviderSettings): string[] {
  const secrets = [...(provider.apiKey === undefined ? [] : [provider.apiKey]), ...Object.values(provider.headers)];
  if (URL.canParse(provider.baseUrl)) {
    const { username, password } = new URL(provider.baseUrl);
    for (const part of [username, password]) if (part !== '') secrets.push(part, decodeURIComponent(part));
  }
  return secrets;
}
