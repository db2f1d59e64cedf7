import type { GatewayConfig } from '../config/gateway-config.js';
import type { RateLimits } from '../ports/virtual-key.js';
import { textTokenCounter, type EncodingName } from '../routing/token-count/index.js';

/** The encoding of every tokenizer family except older OpenAI models' (tokenizer-family.ts). */
const MAIN_ENCODING: EncodingName = 'o200k_base';

function limitsTokens(limits: RateLimits | undefined): boolean {
  return limits?.tpm !== undefined;
}

/**
 * Whether requests under this config count prompt tokens as a matter of course: governance (virtual keys required,
 * whose keys may carry TPM limits and budgets, or TPM limits and budgets in the config) or a route ranked by cost.
 * A context-window check counts only prompts too large for the byte bound, so it does not count here.
 */
export function configCountsTokens(config: GatewayConfig): boolean {
  if (config.auth.requireKeys) return true;
  for (const team of config.auth.teams.values()) if (limitsTokens(team.limits) || Object.keys(team.budget).length > 0) return true;
  for (const policy of config.providerPolicies.values()) if (limitsTokens(policy.limits)) return true;
  for (const route of config.models.values()) {
    if (limitsTokens(route.limits) || route.strategy === 'cost') return true;
    for (const task of Object.values(route.tasks ?? {})) if ('strategy' in task && task.strategy === 'cost') return true;
  }
  return false;
}

/**
 * Loads the main tokenizer before the server listens when the config will count tokens, so the first such request does
 * not wait for it (reading the encoding and building its tables took about 230 ms on the bench machine). Returns the
 * encodings it loaded.
 */
export function preloadTokenizer(config: GatewayConfig): EncodingName[] {
  if (!configCountsTokens(config)) return [];
  textTokenCounter(MAIN_ENCODING);
  return [MAIN_ENCODING];
}
