import type { ModelLookup } from '../catalog/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GatewayError, type CanonicalRequest, type EmbeddingRequest, type HeaderMap, type Target, type Usage } from '../core/index.js';
import type { KeyDirectory, RateLimits, ResolvedKey } from '../ports/virtual-key.js';
import type { WindowBucket, WindowCounters, WindowState } from '../ports/window-counters.js';
import type { RouteDecision, RoutePlan } from '../routing/resolve-route.js';
import type { BudgetAlert, BudgetLedger, BudgetReservation, BudgetScope } from './budget-ledger.js';
import { dataPolicySkip, restrictedTag } from './data-policy.js';
import { checkKeyValid, checkModelAllowed } from './key-access.js';
import { presentedKey } from './presented-key.js';
import { rateLimitHeaders, type ConsumedBucket } from './rate-limit-headers.js';
import { estimateEmbedding, estimateRequest, usedTokens, type RequestEstimate } from './request-estimate.js';
import { VIRTUAL_KEY_PREFIX } from '../ports/virtual-key.js';

const MINUTE_MS = 60_000;

/** What the gate tells the outside world about (logs and metrics). */
export interface GateEvents {
  budgetAlert?(alert: BudgetAlert): void;
  /** The limiter failed; the request was let through (`open`) or refused (`closed`). */
  backendError?(error: unknown, mode: 'open' | 'closed'): void;
  /** A request was refused by a limit: `key_rpm`, `alias_tpm`, `team_budget`, … (names from the code, never ids). */
  rejected?(limit: string): void;
}

export interface AccessGateDeps {
  /** The config in force (it changes on reload). */
  config(): GatewayConfig;
  lookup(): ModelLookup;
  keys: KeyDirectory;
  counters: WindowCounters;
  ledger: BudgetLedger;
  /** Wall-clock epoch ms, for expiry and budget windows. */
  now(): number;
  events?: GateEvents;
}

/** A request let through: its plan (minus targets policy skipped), headers to send, and the settlement to run after. */
export interface Admission {
  plan: RoutePlan;
  headers: Record<string, string>;
  /**
   * Settles the token and budget reservations with what the request really used; call exactly once. A call that failed before any upstream answered passes a cost of 0; one that was
   * answered but whose usage never came passes none, keeps its reserved estimate, and gets the charged amount back.
   */
  settle(usage: Usage | undefined, costUsd: number | undefined): number | undefined;
}

type WindowKind = 'requests' | 'tokens';

/** A window a request is counted in, and the name its refusal gives (`key_rpm`, `alias_tpm`, …). */
interface RateBucket {
  bucket: WindowBucket;
  kind: WindowKind;
  limit: string;
  /** `bucket.limit` as header text. */
  limitText: string;
}

const NO_BUCKETS: readonly RateBucket[] = [];

/** The estimate of a request that needs none (nothing it is counted in takes tokens or money). */
const NO_ESTIMATE: Readonly<RequestEstimate> = { tokens: 0, usd: 0 };

function hasTokenBucket(buckets: readonly RateBucket[]): boolean {
  for (const entry of buckets) if (entry.kind === 'tokens') return true;
  return false;
}

/** One of a deployment's RPM/TPM windows. */
export interface DeploymentBucket {
  bucket: WindowBucket;
  kind: WindowKind;
}

/** What a caller is counted in under one config: its key's and team's buckets and budget scopes. */
interface CallerWindows {
  config: GatewayConfig;
  buckets: readonly RateBucket[];
  scopes: BudgetScope[];
}

function bucketsFor(scope: string, limits: RateLimits | undefined, name: string): RateBucket[] {
  const out: RateBucket[] = [];
  if (limits?.rpm !== undefined) out.push({ bucket: { id: `${name}:rpm`, limit: limits.rpm, windowMs: MINUTE_MS }, kind: 'requests', limit: `${scope}_rpm`, limitText: String(limits.rpm) });
  if (limits?.tpm !== undefined) out.push({ bucket: { id: `${name}:tpm`, limit: limits.tpm, windowMs: MINUTE_MS }, kind: 'tokens', limit: `${scope}_tpm`, limitText: String(limits.tpm) });
  return out;
}

/**
 * Who may call, what, how often and for how much: authenticates virtual keys from memory, applies data policy and
 * deployment look-ahead to the plan, reserves RPM/TPM per key, team and alias and the estimated cost per key and
 * team, and settles both with the real usage. Decisions only; counters and keys sit behind ports.
 */
export class AccessGate {
  // Buckets and budget scopes are built once per key, alias and deployment under each config (a reload or a changed
  // key replaces the object they hang on), so a request allocates none of them or their id strings.
  private readonly callers = new WeakMap<ResolvedKey, CallerWindows>();
  private readonly aliases = new WeakMap<object, readonly RateBucket[]>();
  private readonly deployments = new WeakMap<GatewayConfig, Map<string, Map<string, readonly RateBucket[]>>>();

  constructor(private readonly deps: AccessGateDeps) {}

  /** The calling key, or undefined when keys are optional and none of ours was sent; 401 when one is required. */
  authenticate(headers: HeaderMap, url: string): ResolvedKey | undefined {
    const presented = presentedKey(headers, url);
    const required = this.deps.config().auth.requireKeys;
    // With keys optional, clients send whatever their SDK needs; only our own keys are looked at.
    if (!required && !presented?.startsWith(VIRTUAL_KEY_PREFIX)) return undefined;
    const found = presented === undefined ? undefined : this.deps.keys.find(presented);
    return checkKeyValid(presented, found, this.deps.now());
  }

  /** The tags a request is governed and recorded by: the client's, with the key's taking precedence. */
  tagsOf(caller: ResolvedKey | undefined, request: CanonicalRequest): Record<string, string> {
    return { ...request.metadata, ...caller?.key.tags };
  }

  /** Admits a generation request or throws its 403/429 in the gateway's error vocabulary; from memory, awaiting nothing. */
  admit(caller: ResolvedKey | undefined, request: CanonicalRequest, plan: RoutePlan): Admission {
    return this.admitPlanned(caller, request.model, () => this.tagsOf(caller, request), plan, (targets) => estimateRequest(request, targets, this.deps.lookup()));
  }

  /** Admits an embeddings request: the same limits, its tokens estimated from the input alone. */
  admitEmbedding(caller: ResolvedKey | undefined, request: EmbeddingRequest, plan: RoutePlan): Admission {
    return this.admitPlanned(caller, request.model, () => ({ ...caller?.key.tags }), plan, (targets) => estimateEmbedding(request, targets, this.deps.lookup()));
  }

  private admitPlanned(
    caller: ResolvedKey | undefined,
    model: string,
    /** The request's tags, asked for only when a data policy restricts tags. */
    tags: () => Record<string, string>,
    plan: RoutePlan,
    estimateFor: (targets: readonly Target[]) => RequestEstimate,
  ): Admission {
    const config = this.deps.config();
    if (caller) checkModelAllowed(caller, model);
    const routed = this.applyDataPolicy(plan, tags, config);
    const rateBuckets = this.rateBuckets(caller, plan.route.name, config);
    const scopes = this.budgetScopes(caller, config);
    const deploymentLimited = this.hasDeploymentLimits(routed, config);
    const needsEstimate = scopes.length > 0 || hasTokenBucket(rateBuckets) || deploymentLimited;
    const estimate: RequestEstimate = needsEstimate ? estimateFor(routed.targets) : NO_ESTIMATE;
    const ready = deploymentLimited ? this.skipDeploymentsNearLimit(routed, estimate) : routed;
    const { reserved, headers, budget } = this.reserve(rateBuckets, scopes, estimate);
    // Kept by the settlement for the request's whole life: the reserved buckets are the caller's own objects, and the
    // tokens each took is the estimate's.
    const { tokens } = estimate;
    let settled = false;
    return {
      plan: ready,
      headers,
      settle: (usage, costUsd) => {
        if (settled) return undefined;
        settled = true;
        const used = usedTokens(usage);
        if (used !== undefined) for (const entry of reserved) if (entry.kind === 'tokens') this.adjust(entry.bucket, used - tokens);
        if (!budget) return undefined;
        // An answer whose usage never arrived (a stream the client left before its last chunk) was generated and
        // billed upstream all the same: charging nothing would let a client spend past its budget by hanging up.
        const estimated = usage === undefined && costUsd === undefined ? estimate.usd : undefined;
        this.settleBudget(budget, estimated ?? costUsd ?? 0);
        return estimated !== undefined && estimated > 0 ? estimated : undefined;
      },
    };
  }

  /**
   * Admits a request the response cache answers. Nothing reaches a provider, so it takes one request from every RPM
   * window but no tokens and no money (a hit is recorded at cost 0, and budgets are rebuilt from the record); a key
   * may still only use its models, and one whose RPM, TPM or budget is already used up is refused like any request.
   */
  admitCacheHit(caller: ResolvedKey | undefined, request: CanonicalRequest, alias: string | undefined): Omit<Admission, 'plan'> {
    const config = this.deps.config();
    if (caller) checkModelAllowed(caller, request.model);
    const { headers, budget } = this.reserve(this.rateBuckets(caller, alias, config), this.budgetScopes(caller, config), NO_ESTIMATE);
    return {
      headers,
      settle: () => {
        if (budget) this.settleBudget(budget, 0);
        return undefined;
      },
    };
  }

  /** The key's, its team's and the alias's RPM/TPM buckets. */
  private rateBuckets(caller: ResolvedKey | undefined, aliasName: string | undefined, config: GatewayConfig): readonly RateBucket[] {
    const own = caller ? this.callerWindows(caller, config).buckets : NO_BUCKETS;
    const alias = aliasName === undefined ? undefined : config.models.get(aliasName);
    if (!alias) return own;
    let aliasBuckets = this.aliases.get(alias);
    if (!aliasBuckets) {
      aliasBuckets = bucketsFor('alias', alias.limits, `alias:${alias.name}`);
      this.aliases.set(alias, aliasBuckets);
    }
    if (aliasBuckets.length === 0) return own;
    return own.length === 0 ? aliasBuckets : [...own, ...aliasBuckets];
  }

  /** A caller's key and team buckets and budget scopes under a config, built on first use. */
  private callerWindows(caller: ResolvedKey, config: GatewayConfig): CallerWindows {
    const known = this.callers.get(caller);
    if (known?.config === config) return known;
    const { key } = caller;
    const team = key.team === undefined ? undefined : config.auth.teams.get(key.team);
    const buckets = [
      ...bucketsFor('key', key.limits, `key:${key.id}`),
      ...(key.team !== undefined ? bucketsFor('team', team?.limits, `team:${key.team}`) : []),
    ];
    const scopes: BudgetScope[] = [];
    if (Object.keys(key.budget).length > 0) scopes.push({ id: `key:${key.id}`, label: `key ${key.name} (${key.prefix}…)`, limits: key.budget });
    if (team && Object.keys(team.budget).length > 0) scopes.push({ id: `team:${key.team}`, label: `team ${key.team}`, limits: team.budget });
    const windows: CallerWindows = { config, buckets, scopes };
    this.callers.set(caller, windows);
    return windows;
  }

  /** Takes the estimate from every rate bucket and budget scope, or gives back what it took and throws the 429. */
  private reserve(
    rateBuckets: readonly RateBucket[],
    scopes: readonly BudgetScope[],
    estimate: RequestEstimate,
  ): { reserved: RateBucket[]; headers: Record<string, string>; budget: BudgetReservation | undefined } {
    const reserved: RateBucket[] = [];
    const consumed: ConsumedBucket[] = [];
    for (const entry of rateBuckets) {
      const { bucket, kind, limit, limitText } = entry;
      const state = this.consume(bucket, kind === 'requests' ? 1 : estimate.tokens);
      if (!state) continue;
      if (!state.allowed) {
        this.release(reserved, estimate.tokens);
        this.deps.events?.rejected?.(limit);
        throw new GatewayError('rate_limited', `Rate limit reached: ${limit.replace('_', ' ').toUpperCase()} of ${bucket.limit} per minute; retry after the window resets`, {
          retryAfterMs: state.resetMs,
          headers: rateLimitHeaders([...consumed, { limitText, kind, state }]),
        });
      }
      reserved.push(entry);
      consumed.push({ limitText, kind, state });
    }
    try {
      const budget = scopes.length > 0 ? this.deps.ledger.reserve(scopes, estimate.usd, this.deps.now()) : undefined;
      return { reserved, headers: rateLimitHeaders(consumed), budget };
    } catch (error) {
      this.release(reserved, estimate.tokens);
      this.deps.events?.rejected?.('budget');
      throw error;
    }
  }

  private settleBudget(budget: BudgetReservation, costUsd: number): void {
    for (const alert of this.deps.ledger.settle(budget, costUsd, this.deps.now())) this.deps.events?.budgetAlert?.(alert);
  }

  /** The RPM/TPM buckets of one deployment (provider + upstream model), from the provider's configured limits. */
  deploymentBuckets(target: Target): readonly DeploymentBucket[] {
    const config = this.deps.config();
    let providers = this.deployments.get(config);
    if (!providers) {
      providers = new Map();
      this.deployments.set(config, providers);
    }
    let models = providers.get(target.provider.id);
    if (!models) {
      models = new Map();
      providers.set(target.provider.id, models);
    }
    let buckets = models.get(target.model);
    if (!buckets) {
      const limits = config.providerPolicies.get(target.provider.id)?.limits;
      buckets = bucketsFor('deployment', limits, `deployment:${target.provider.id}/${target.model}`);
      models.set(target.model, buckets);
    }
    return buckets;
  }

  /** Consumes from a bucket, applying `limits.on_backend_error` when the counters fail (undefined: let through). */
  consume(bucket: WindowBucket, points: number): WindowState | undefined {
    try {
      return this.deps.counters.consume(bucket, points);
    } catch (error) {
      return this.onBackendError(error);
    }
  }

  /** Settles a bucket; a failure is reported and otherwise ignored (the window ends anyway). */
  adjust(bucket: WindowBucket, delta: number): void {
    try {
      this.deps.counters.adjust(bucket, delta);
    } catch (error) {
      this.deps.events?.backendError?.(error, 'open');
    }
  }

  /** Budget scopes of a caller: its key's own budget and its team's, when either sets a limit. */
  budgetScopes(caller: ResolvedKey | undefined, config: GatewayConfig): readonly BudgetScope[] {
    return caller ? this.callerWindows(caller, config).scopes : [];
  }

  private onBackendError(error: unknown): WindowState | undefined {
    const mode = this.deps.config().limits.onBackendError;
    this.deps.events?.backendError?.(error, mode);
    if (mode === 'open') return undefined;
    throw new GatewayError('rate_limited', 'The rate limiter is unavailable and limits.on_backend_error is closed; retry shortly', { retryAfterMs: 1000 });
  }

  /** Gives back what `reserve` took: one request, or the estimate's tokens, from each bucket. */
  private release(reserved: readonly RateBucket[], tokens: number): void {
    for (const entry of reserved) this.adjust(entry.bucket, entry.kind === 'requests' ? -1 : -tokens);
  }

  private hasDeploymentLimits(plan: RoutePlan, config: GatewayConfig): boolean {
    for (const target of plan.targets) if (config.providerPolicies.get(target.provider.id)?.limits !== undefined) return true;
    return false;
  }

  private applyDataPolicy(plan: RoutePlan, tags: () => Record<string, string>, config: GatewayConfig): RoutePlan {
    const { trustedOnlyTags } = config.dataPolicy;
    if (trustedOnlyTags.length === 0) return plan;
    const tag = restrictedTag(tags(), trustedOnlyTags);
    if (tag === undefined) return plan;
    return this.withSkips(plan, (target) => dataPolicySkip(target, tag, config.providerPolicies), () => {
      throw new GatewayError('permission_denied', `No provider of model \`${plan.route.name}\` may receive requests tagged ${tag}: none is marked data_policy: trusted`);
    });
  }

  /**
   * Skips deployments whose RPM or TPM window cannot take the request, so they are passed over before they 429.
   * Called only for plans with a limited deployment.
   */
  private skipDeploymentsNearLimit(plan: RoutePlan, estimate: RequestEstimate): RoutePlan {
    let reasons: Map<Target, string> | undefined;
    let soonest = Infinity;
    for (const target of plan.targets) {
      for (const { bucket, kind } of this.deploymentBuckets(target)) {
        let state: WindowState;
        try {
          state = this.deps.counters.peek(bucket);
        } catch (error) {
          if (!this.onBackendError(error)) continue;
          throw error;
        }
        const needed = kind === 'requests' ? 1 : estimate.tokens;
        if (state.remaining >= needed) continue;
        reasons ??= new Map();
        reasons.set(target, `rate limit: deployment near its ${kind === 'requests' ? 'RPM' : 'TPM'} limit (${state.remaining} of ${bucket.limit} left, needs ${needed})`);
        soonest = Math.min(soonest, state.resetMs);
        break;
      }
    }
    // Nothing near its limit, the common case: the plan as it is, without filtering it.
    if (!reasons) return plan;
    const near = reasons;
    return this.withSkips(plan, (target) => near.get(target), () => {
      this.deps.events?.rejected?.('deployment');
      throw new GatewayError('rate_limited', `Every deployment of model \`${plan.route.name}\` is at its rate limit; retry after the window resets`, {
        retryAfterMs: Number.isFinite(soonest) ? soonest : MINUTE_MS,
      });
    });
  }

  private withSkips(plan: RoutePlan, skip: (target: Target) => string | undefined, none: () => never): RoutePlan {
    const skipped = new Map<string, string>();
    const targets = plan.targets.filter((target) => {
      const reason = skip(target);
      if (reason !== undefined) skipped.set(`${target.provider.id}\u0000${target.model}`, reason);
      return reason === undefined;
    });
    if (skipped.size === 0) return plan;
    if (targets.length === 0) none();
    const decisions: RouteDecision[] = plan.decisions.map((decision) => {
      const reason = skipped.get(`${decision.providerId}\u0000${decision.model}`);
      return reason === undefined || decision.action === 'skip' ? decision : { ...decision, action: 'skip', reason };
    });
    return { ...plan, targets, decisions };
  }
}
