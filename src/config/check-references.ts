import { isRecord } from '../core/index.js';
import type { ConfigIssue } from './format-issues.js';

/**
 * Every model target that names a provider the config does not define. Reads the raw tree so that `check` can report
 * dangling references next to schema errors instead of only after those are fixed.
 */
export function danglingProviderReferences(file: unknown, extraProviderIds: readonly string[] = []): ConfigIssue[] {
  if (!isRecord(file)) return [];
  const providers = new Set([...Object.keys(isRecord(file.providers) ? file.providers : {}), ...extraProviderIds]);
  const issues: ConfigIssue[] = [];
  for (const [name, model] of Object.entries(isRecord(file.models) ? file.models : {})) {
    if (!isRecord(model) || !Array.isArray(model.targets)) continue;
    model.targets.forEach((target: unknown, i) => {
      if (!isRecord(target) || typeof target.provider !== 'string' || providers.has(target.provider)) return;
      issues.push({ path: `models.${name}.targets[${i}].provider`, message: `unknown provider "${target.provider}"` });
    });
  }
  return issues;
}
