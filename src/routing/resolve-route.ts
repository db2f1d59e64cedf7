import { boundText, GatewayError, seededRandom, type CanonicalRequest, type Random } from '../core/index.js';
import { orderTargets, type RoutingContext } from './order-targets.js';
import { routeForTask } from './task-route.js';
import { matchModelGlob } from './model-glob.js';
import { noFittingTargetError, planFit, type TargetLookup } from './target-fit.js';
import type { GatewayConfig, ModelRoute } from '../config/gateway-config.js';
import type { ProviderType, Target } from '../core/index.js';
import { PROVIDER_TRANSPORTS } from '../providers/provider-transports.js';

/** Why a target is in the plan where it is, or why it was left out. */
export interface RouteDecision {
  providerId: string;
  model: string;
  action: 'try' | 'skip';
  reason: string;
}

/** The ordered deployments to try for one request, with the policies that govern them. */
export interface RoutePlan {
  route: ModelRoute;
  targets: Target[];
  decisions: RouteDecision[];
}

/**
 * One seeded stream per configured route, kept across requests: re-seeding on every request would draw the same
 * number each time and send all traffic of a seeded weighted route to one target.
 */
const seededStreams = new WeakMap<ModelRoute, Random>();

/** The route's own seeded stream when it has a `seed`, else the gateway's Random. */
export function routeRandom(route: ModelRoute, random: Random): Random {
  if (route.seed === undefined) return random;
  let stream = seededStreams.get(route);
  if (!stream) {
    stream = seededRandom(route.seed);
    seededStreams.set(route, stream);
  }
  return stream;
}

/**
 * Looks a model name up: an exact alias first, then `<provider id>/<upstream model>` for a configured provider, then
 * the most specific glob alias (`claude-*`), so an agent's built-in model names land on configured routes.
 */
export function findRoute(model: string, config: GatewayConfig): ModelRoute | undefined {
  const alias = config.models.get(model);
  if (alias) return alias;
  const direct = directRoute(model, config);
  if (direct) return direct;
  const glob = matchModelGlob(model, config.models.keys());
  return glob === undefined ? undefined : config.models.get(glob);
}

/** Direct routes already built per config: a request looks its route up several times (cache, stickiness, plan). */
const directRoutes = new WeakMap<GatewayConfig, Map<string, ModelRoute>>();

/** Bound on remembered direct routes per config: clients choose the model part, so the names are unbounded. */
const MAX_DIRECT_ROUTES = 1024;

function directRoute(model: string, config: GatewayConfig): ModelRoute | undefined {
  let known = directRoutes.get(config);
  const remembered = known?.get(model);
  if (remembered) return remembered;
  const route = buildDirectRoute(model, config);
  if (!route) return undefined;
  if (!known) {
    known = new Map();
    directRoutes.set(config, known);
  }
  if (known.size >= MAX_DIRECT_ROUTES) known.clear();
  known.set(model, route);
  return route;
}

function buildDirectRoute(model: string, config: GatewayConfig): ModelRoute | undefined {
  const slash = model.indexOf('/');
  if (slash <= 0 || slash === model.length - 1) return undefined;
  const providerId = model.slice(0, slash);
  if (!config.providers.has(providerId)) return undefined;
  return {
    name: model,
    strategy: 'fallback',
    targets: [{ providerId, model: model.slice(slash + 1) }],
    retry: config.defaults.retry,
    timeouts: config.defaults.timeouts,
    breaker: config.defaults.breaker,
    resumeOnStall: false,
    strictMaxTokens: config.defaults.strictMaxTokens,
  };
}

/** For `openai/…`-style names whose prefix is a provider type: how to configure it (most often a missing key). */
function missingProviderHint(model: string): string {
  const prefix = model.slice(0, Math.max(0, model.indexOf('/')));
  if (!Object.hasOwn(PROVIDER_TRANSPORTS, prefix)) return '';
  const keyVariable = PROVIDER_TRANSPORTS[prefix as ProviderType].apiKeyEnv;
  const keyAdvice = keyVariable ? `set ${keyVariable} for the built-in default, or ` : '';
  return `: no provider \`${prefix}\` is configured: ${keyAdvice}add a provider of type ${prefix} to your config`;
}

/**
 * Resolves a model name into a RoutePlan ordered by the route's strategy, after the request's task class picked the
 * alias or strategy its route maps it to; unknown names are a 404 with a hint.
 */
export function planRoute(model: string, config: GatewayConfig, random: Random, context: RoutingContext = {}): RoutePlan {
  const named = findRoute(model, config);
  if (!named) {
    throw new GatewayError(
      'model_not_found',
      `The model \`${boundText(model, 256)}\` does not exist on this gateway${missingProviderHint(model)}. Use a model name from GET /v1/models, or ` +
        `\`<provider>/<model>\` with one of the configured providers (${[...config.providers.keys()].join(', ')}).`,
      { param: 'model' },
    );
  }
  const { route, note } = routeForTask(named, context.taskClass, config);
  const targets: Target[] = [];
  const decisions: RouteDecision[] = [];
  const order = orderTargets(route, routeRandom(route, random), context);
  const ordered = order.ordered;
  const reason = note ? `${note}; ${order.reason}` : order.reason;
  ordered.forEach((target, position) => {
    const provider = config.providers.get(target.providerId);
    if (!provider) {
      decisions.push({ providerId: target.providerId, model: target.model, action: 'skip', reason: 'provider not configured' });
      return;
    }
    targets.push({ provider, model: target.model });
    decisions.push({ providerId: target.providerId, model: target.model, action: 'try', reason: position === 0 ? reason : `fallback #${position}` });
  });
  return { route, targets, decisions };
}

/** The target with what the lookup knows about its model (config overrides included), for the adapter to read. */
function withInfo(target: Target, lookup: TargetLookup): Target {
  const info = lookup(target);
  return info === undefined ? target : { ...target, info };
}

/**
 * Drops targets whose context window cannot hold the prompt plus requested output, or that lack a capability the
 * request needs (tools, vision, structured output); throws when none is left. Counts tokens only when needed. Unless
 * the route is `strict_max_tokens`, an output budget too large for a target is clamped to what fits. Each target kept
 * carries its resolved model info.
 */
export function fitPlanToRequest(plan: RoutePlan, request: CanonicalRequest, lookup: TargetLookup): RoutePlan {
  const fit = planFit(request, plan.targets, lookup, undefined, { clampMaxTokens: plan.route.strictMaxTokens !== true });
  const targets = fit.fitting.map((target) => withInfo(target, lookup));
  if (fit.skipped.length === 0) return { ...plan, targets };
  if (fit.fitting.length === 0) throw noFittingTargetError(request, fit);
  const decisions = plan.decisions.map((decision) => {
    const skipped = fit.skipped.find((s) => s.target.provider.id === decision.providerId && s.target.model === decision.model);
    return skipped ? { ...decision, action: 'skip' as const, reason: `${skipped.reason}: ${skipped.detail}` } : decision;
  });
  return { ...plan, targets, decisions };
}
