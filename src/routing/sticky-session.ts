import type { CanonicalRequest } from '../core/index.js';
import { deploymentKey } from './deployment-key.js';
import type { RoutePlan } from './resolve-route.js';

/** Longest session key kept; longer ones are cut so a hostile key cannot grow the session table's memory. */
const MAX_SESSION_KEY_LENGTH = 256;

/**
 * The conversation a request belongs to: the `x-switchyard-session` header, else `metadata.session`, else the
 * client's cache key (Responses `prompt_cache_key`, which Codex sets per thread), else the OpenAI `user` field.
 * Undefined when none is given.
 */
export function sessionKeyOf(request: CanonicalRequest, header: string | undefined): string | undefined {
  const key = header ?? request.metadata?.session ?? request.cacheKey ?? request.user;
  if (key === undefined || key === '') return undefined;
  return key.slice(0, MAX_SESSION_KEY_LENGTH);
}

/**
 * Puts the deployment that served the session last first, when it is still in the plan; the rest keep their order as
 * fallbacks. Its breaker still decides at attempt time: an unhealthy pinned deployment is skipped and the session
 * moves to whichever serves it next.
 */
export function pinSession(plan: RoutePlan, deployment: string | undefined): RoutePlan {
  if (deployment === undefined) return plan;
  const index = plan.targets.findIndex((target) => deploymentKey(target) === deployment);
  if (index < 0) return plan;
  const pinned = plan.targets[index];
  if (!pinned) return plan;
  const decision = plan.decisions.find((d) => d.action === 'try' && `${d.providerId}/${d.model}` === deployment);
  const rest = plan.decisions.filter((d) => d !== decision);
  const sticky = { providerId: pinned.provider.id, model: pinned.model, action: 'try' as const, reason: `sticky session (served it last)` };
  return { ...plan, targets: [pinned, ...plan.targets.filter((_, i) => i !== index)], decisions: [sticky, ...rest] };
}
