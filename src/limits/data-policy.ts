import type { ProviderPolicy } from '../config/gateway-config.js';
import type { Target } from '../core/index.js';

/** The first restricted tag a request carries (a tag whose value is not `false`), if any. */
export function restrictedTag(tags: Readonly<Record<string, string>>, trustedOnlyTags: readonly string[]): string | undefined {
  return trustedOnlyTags.find((tag) => tags[tag] !== undefined && tags[tag] !== 'false');
}

/** Why a target may not receive a request with a restricted tag, or undefined when it may. */
export function dataPolicySkip(target: Target, tag: string | undefined, policies: ReadonlyMap<string, ProviderPolicy>): string | undefined {
  if (tag === undefined || policies.get(target.provider.id)?.trusted === true) return undefined;
  return `data policy: requests tagged ${tag} go only to trusted providers`;
}
