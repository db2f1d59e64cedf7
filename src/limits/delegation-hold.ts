import type { GatewayConfig } from '../config/gateway-config.js';
import type { BudgetLimits, RateLimits, ResolvedKey } from '../ports/virtual-key.js';
import { restrictedTag } from './data-policy.js';
import { modelAllowed } from './model-glob.js';

function hasBudget(budget: BudgetLimits | undefined): boolean {
  return budget !== undefined && (budget.dailyUsd !== undefined || budget.monthlyUsd !== undefined || budget.totalUsd !== undefined);
}

function hasRateLimits(limits: RateLimits | undefined): boolean {
  return limits !== undefined && (limits.rpm !== undefined || limits.tpm !== undefined);
}

/**
 * Why a batch job's key keeps it off a provider's batch API, or undefined when nothing would be held back. A provider
 * batch runs without the per-request checks of the gateway's own lane: the key's model list, its and its team's
 * RPM/TPM limits and budgets would not apply to the delegated lines, so such a job runs on the lane instead.
 */
export function keyHoldsDelegation(caller: ResolvedKey | undefined, model: string, config: GatewayConfig): string | undefined {
  if (!caller) return undefined;
  const { key } = caller;
  if (!modelAllowed(caller.models, model)) return `key ${key.prefix}… may not use model ${model}`;
  if (hasBudget(key.budget) || hasRateLimits(key.limits)) return `key ${key.prefix}… has a budget or rate limits`;
  const team = key.team === undefined ? undefined : config.auth.teams.get(key.team);
  if (team && (hasBudget(team.budget) || hasRateLimits(team.limits))) return `team ${key.team ?? ''} has a budget or rate limits`;
  return undefined;
}

/** The first restricted data-policy tag any line carries, its own metadata merged under the key's tags. */
export function restrictedLineTag(lineMetadata: ReadonlyArray<Readonly<Record<string, string>> | undefined>, caller: ResolvedKey | undefined, config: GatewayConfig): string | undefined {
  const { trustedOnlyTags } = config.dataPolicy;
  if (trustedOnlyTags.length === 0) return undefined;
  // A key's tags take precedence over a line's, so a restricted key tag holds for every line, and for a job of none.
  const keyTag = restrictedTag({ ...caller?.key.tags }, trustedOnlyTags);
  if (keyTag !== undefined) return keyTag;
  for (const metadata of lineMetadata) {
    const tag = restrictedTag({ ...metadata, ...caller?.key.tags }, trustedOnlyTags);
    if (tag !== undefined) return tag;
  }
  return undefined;
}
