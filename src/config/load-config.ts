import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_INPUT_LIMITS, type ProviderSettings, type ProviderType } from '../core/index.js';
import { ANTHROPIC_DEFAULT_VERSION } from '../providers/anthropic/anthropic-settings.js';
import { PROVIDER_TRANSPORTS } from '../providers/provider-transports.js';
import {
  configSchema,
  type BanditConfig,
  type BudgetConfig,
  type RateLimitsConfig,
  type BreakerConfig,
  type CatalogOverride,
  type ConfigFile,
  type ProviderConfig,
  type RetryConfig,
  type TimeoutsConfig,
} from './config-schema.js';
import { danglingProviderReferences } from './check-references.js';
import { toConfigIssues, type ConfigIssue } from './format-issues.js';
import {
  DEFAULT_BANDIT,
  DEFAULT_BATCH,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_BREAKER,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_CLIENT_STALL_MS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_RETRY,
  DEFAULT_STICKY_TTL_MS,
  DEFAULT_ROUTING_HISTORY,
  DEFAULT_JUDGE_RUBRIC,
  DEFAULT_STATE_URL,
  DEFAULT_STORAGE_URL,
  DEFAULT_BODY_RETENTION_DAYS,
  DEFAULT_CACHE,
  DEFAULT_TIMEOUTS,
  type BanditSettings,
  type BatchSettings,
  type BreakerPolicy,
  type GatewayConfig,
  type ModelRoute,
  type ProviderPolicy,
  type RedactionRule,
  type RetryPolicy,
  type TeamPolicy,
} from './gateway-config.js';
import type { BudgetLimits, RateLimits } from '../ports/virtual-key.js';
import { type Timeouts } from '../core/index.js';
import { interpolateEnv, type MissingVariable } from './interpolate-env.js';

export type Env = Record<string, string | undefined>;

/** The outcome of loading a config: the config when valid, every error with its path, and non-fatal notes. */
export interface LoadResult {
  config?: GatewayConfig;
  issues: ConfigIssue[];
  notes: string[];
}

/** The built-in provider that serves `simulated/*` in every config unless the file turns it off. */
const BUILT_IN_SIMULATED_ID = 'simulated';

/**
 * Parses config text (YAML, or JSON which is YAML too), interpolates the environment, validates and resolves it.
 * Every problem is reported at once: unset variables, schema errors and dangling provider references together.
 */
export function parseConfigText(text: string, source: string, env: Env): LoadResult {
  let raw: unknown;
  try {
    raw = source.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return { issues: [{ path: '', message: `cannot parse ${source}: ${(error as Error).message}` }], notes: [] };
  }
  const missing: MissingVariable[] = [];
  const interpolated = interpolateEnv(raw ?? {}, env, missing);
  const unset = missing.map((m) => ({
    path: m.path,
    message: `environment variable ${m.variable} is not set (write \${${m.variable}:-} to allow it to be empty)`,
  }));
  const unsetPaths = new Set(unset.map((issue) => issue.path));
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) {
    // A value left as `${VAR}` usually fails its own check too; the unset variable is the one worth reading.
    const schemaIssues = toConfigIssues(parsed.error).filter((issue) => !unsetPaths.has(issue.path));
    return { issues: [...unset, ...schemaIssues, ...danglingProviderReferences(interpolated, [BUILT_IN_SIMULATED_ID])], notes: [] };
  }
  const resolved = resolveConfig(parsed.data, source);
  if (unset.length === 0) return resolved;
  return { issues: [...unset, ...resolved.issues], notes: resolved.notes };
}

/** Reads and loads a config file from disk. */
export async function loadConfigFile(path: string, env: Env): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { issues: [{ path: '', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }], notes: [] };
  }
  return parseConfigText(text, path, env);
}

/** The built-in default: the simulated provider, plus every provider whose standard key variable is set. */
export function defaultConfig(env: Env): GatewayConfig {
  const providers: Record<string, ProviderConfig> = {};
  for (const type of Object.keys(PROVIDER_TRANSPORTS) as ProviderType[]) {
    const variable = PROVIDER_TRANSPORTS[type].apiKeyEnv;
    const key = variable === undefined ? undefined : env[variable];
    if (key) providers[type] = { type, api_key: key };
  }
  const { config } = resolveConfig({ providers }, 'built-in default');
  if (!config) throw new Error('built-in default config is invalid');
  return config;
}

function resolveRetry(config: RetryConfig | undefined, base: RetryPolicy): RetryPolicy {
  return {
    attempts: config?.attempts ?? base.attempts,
    baseDelayMs: config?.base_delay_ms ?? base.baseDelayMs,
    maxDelayMs: config?.max_delay_ms ?? base.maxDelayMs,
  };
}

function resolveTimeouts(config: TimeoutsConfig | undefined, base: Timeouts): Timeouts {
  return {
    connectMs: config?.connect_ms ?? base.connectMs,
    firstTokenMs: config?.first_token_ms ?? base.firstTokenMs,
    stallMs: config?.stall_ms ?? base.stallMs,
    totalMs: config?.total_ms ?? base.totalMs,
  };
}

function resolveBreaker(config: BreakerConfig | undefined, base: BreakerPolicy): BreakerPolicy {
  return {
    failureThreshold: config?.failure_threshold ?? base.failureThreshold,
    errorRate: config?.error_rate ?? base.errorRate,
    minRequests: config?.min_requests ?? base.minRequests,
    windowMs: config?.window_ms ?? base.windowMs,
    cooldownMs: config?.cooldown_ms ?? base.cooldownMs,
  };
}

/** The settings a provider block resolves to: its type's own options, parsed by that provider's schema. */
function settingsFor(base: Omit<ProviderSettings, 'type' | 'options'>, config: ProviderConfig): ProviderSettings {
  switch (config.type) {
    case 'anthropic':
      return { ...base, type: config.type, options: { apiVersion: config.api_version ?? ANTHROPIC_DEFAULT_VERSION } };
    case 'gemini':
      return { ...base, type: config.type, options: config.schema_mode === undefined ? {} : { schemaMode: config.schema_mode } };
    case 'simulated':
      return { ...base, type: config.type, options: config.simulated ?? {} };
    case 'openai':
      return { ...base, type: config.type, options: config.api === undefined ? {} : { api: config.api } };
    default:
      return { ...base, type: config.type, options: {} };
  }
}

/** `api_key` values that name a secret store instead of holding the key. */
const SECRET_REFERENCE = /^(file|vault|aws-sm):\/\//;

/** Whether an `api_key` is a secret reference resolved at call time rather than the key itself. */
function isSecretReference(value: string): boolean {
  return SECRET_REFERENCE.test(value);
}

const BUILT_IN_REDACTIONS: Record<string, RegExp> = {
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  // 13–19 digits, optionally grouped by single spaces or dashes: the lengths of payment card numbers.
  card_number: /\b\d(?:[ -]?\d){12,18}\b/g,
};

function resolveRedactions(id: string, rules: readonly string[], issues: ConfigIssue[]): RedactionRule[] {
  const resolved: RedactionRule[] = [];
  rules.forEach((rule, i) => {
    const builtIn = BUILT_IN_REDACTIONS[rule];
    if (builtIn) return void resolved.push({ name: rule, pattern: builtIn });
    try {
      resolved.push({ name: 'regex', pattern: new RegExp(rule.slice('regex:'.length), 'g') });
    } catch (error) {
      issues.push({ path: `providers.${id}.redact[${i}]`, message: `invalid regular expression: ${(error as Error).message}` });
    }
  });
  return resolved;
}

function resolveRateLimits(config: RateLimitsConfig | undefined): RateLimits {
  return { ...(config?.rpm === undefined ? {} : { rpm: config.rpm }), ...(config?.tpm === undefined ? {} : { tpm: config.tpm }) };
}

function resolveBudget(config: BudgetConfig | undefined): BudgetLimits {
  const budget: BudgetLimits = {};
  if (config?.daily_usd !== undefined) budget.dailyUsd = config.daily_usd;
  if (config?.monthly_usd !== undefined) budget.monthlyUsd = config.monthly_usd;
  if (config?.total_usd !== undefined) budget.totalUsd = config.total_usd;
  return budget;
}

function resolveProviderPolicy(id: string, config: ProviderConfig, issues: ConfigIssue[]): ProviderPolicy {
  const policy: ProviderPolicy = { trusted: config.data_policy === 'trusted', redact: resolveRedactions(id, config.redact ?? [], issues) };
  if (config.limits) policy.limits = resolveRateLimits(config.limits);
  if (config.api_key !== undefined && isSecretReference(config.api_key)) policy.secretReference = config.api_key;
  return policy;
}

function resolveProvider(id: string, config: ProviderConfig, issues: ConfigIssue[], notes: string[]): ProviderSettings {
  const transport = PROVIDER_TRANSPORTS[config.type];
  const baseUrl = (config.base_url ?? (transport.baseUrlRequired ? '' : transport.baseUrl)).replace(/\/+$/, '');
  if (baseUrl === '') issues.push({ path: `providers.${id}.base_url`, message: `required for type ${config.type}` });
  const reference = config.api_key !== undefined && isSecretReference(config.api_key);
  const apiKey = config.api_key !== undefined && config.api_key !== '' && !reference ? config.api_key : undefined;
  if (apiKey === undefined && !reference && transport.keyRequired) {
    notes.push(`providers.${id}: no api_key (set ${transport.apiKeyEnv ?? 'api_key'}); requests to it will fail`);
  }
  return settingsFor({ id, baseUrl, headers: config.headers ?? {}, ...(apiKey === undefined ? {} : { apiKey }) }, config);
}

/** The bandit's settings over its defaults. */
function resolveBandit(bandit: BanditConfig | undefined): BanditSettings {
  return {
    metric: bandit?.metric ?? DEFAULT_BANDIT.metric,
    weights: { ...DEFAULT_BANDIT.weights, ...bandit?.weights },
    prior: { ...DEFAULT_BANDIT.prior, ...bandit?.prior },
    exploration: bandit?.exploration ?? DEFAULT_BANDIT.exploration,
    halfLife: bandit?.half_life ?? DEFAULT_BANDIT.halfLife,
    frozen: bandit?.frozen ?? DEFAULT_BANDIT.frozen,
  };
}

/** Task routes must name an alias defined in the same file (one hop: the named alias's own task routes are not followed). */
function danglingTaskRoutes(file: ConfigFile, models: ReadonlyMap<string, ModelRoute>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, model] of Object.entries(file.models ?? {})) {
    for (const [task, route] of Object.entries(model.tasks ?? {})) {
      if (route && 'model' in route && !models.has(route.model)) {
        issues.push({ path: `models.${name}.tasks.${task}.model`, message: `unknown model alias "${route.model}"` });
      }
    }
  }
  return issues;
}

/** Applies defaults and cross-checks references (model targets must name configured providers). */
function resolveBatch(batch: ConfigFile['batch']): BatchSettings {
  const settings: BatchSettings = {
    concurrency: batch?.concurrency ?? DEFAULT_BATCH.concurrency,
    deploymentConcurrency: batch?.deployment_concurrency ?? DEFAULT_BATCH.deploymentConcurrency,
    deploymentRpm: batch?.deployment_rpm ?? DEFAULT_BATCH.deploymentRpm,
    patienceMs: batch?.patience_ms ?? DEFAULT_BATCH.patienceMs,
    lineAttempts: batch?.line_attempts ?? DEFAULT_BATCH.lineAttempts,
    leaseMs: batch?.lease_ms ?? DEFAULT_BATCH.leaseMs,
    pollMs: batch?.poll_ms ?? DEFAULT_BATCH.pollMs,
    delegatePollMs: batch?.delegate_poll_ms ?? DEFAULT_BATCH.delegatePollMs,
    chunkSize: batch?.chunk_size ?? DEFAULT_BATCH.chunkSize,
  };
  if (batch?.max_cost_usd !== undefined) settings.maxCostUsd = batch.max_cost_usd;
  return settings;
}

export function resolveConfig(file: ConfigFile, source: string): LoadResult {
  const issues: ConfigIssue[] = [];
  const notes: string[] = [];
  const defaults = {
    retry: resolveRetry(file.defaults?.retry, DEFAULT_RETRY),
    timeouts: resolveTimeouts(file.defaults?.timeouts, DEFAULT_TIMEOUTS),
    breaker: resolveBreaker(file.defaults?.breaker, DEFAULT_BREAKER),
    strictMaxTokens: file.routing?.strict_max_tokens ?? false,
  };
  const catalogOverrides: Record<string, Record<string, CatalogOverride>> = {};
  const providers = new Map<string, ProviderSettings>();
  const providerPolicies = new Map<string, ProviderPolicy>();
  for (const [id, provider] of Object.entries(file.providers ?? {})) {
    providers.set(id, resolveProvider(id, provider, issues, notes));
    providerPolicies.set(id, resolveProviderPolicy(id, provider, issues));
    if (provider.models) catalogOverrides[id] = provider.models;
  }
  if (file.simulated_provider !== false && !providers.has(BUILT_IN_SIMULATED_ID)) {
    providers.set(BUILT_IN_SIMULATED_ID, resolveProvider(BUILT_IN_SIMULATED_ID, { type: 'simulated' }, issues, notes));
  }
  issues.push(...danglingProviderReferences(file, [...providers.keys()]));
  const cacheTtlMs = file.cache?.ttl_ms ?? DEFAULT_CACHE.ttlMs;
  const models = new Map<string, ModelRoute>();
  for (const [name, model] of Object.entries(file.models ?? {})) {
    const route: ModelRoute = {
      name,
      strategy: model.strategy ?? 'fallback',
      targets: model.targets.map((t) => ({ providerId: t.provider, model: t.model, ...(t.weight === undefined ? {} : { weight: t.weight }) })),
      retry: resolveRetry(model.retry, defaults.retry),
      timeouts: resolveTimeouts(model.timeouts, defaults.timeouts),
      breaker: resolveBreaker(model.breaker, defaults.breaker),
      resumeOnStall: model.resume_on_stall ?? false,
      bandit: resolveBandit(model.bandit),
      strictMaxTokens: model.strict_max_tokens ?? defaults.strictMaxTokens,
    };
    if (model.hedge_ms !== undefined) route.hedgeMs = model.hedge_ms;
    if (model.seed !== undefined) route.seed = model.seed;
    if (model.expected_output_tokens !== undefined) route.expectedOutputTokens = model.expected_output_tokens;
    if (model.exploration !== undefined) route.exploration = model.exploration;
    if (model.sticky !== undefined && model.sticky !== false) {
      route.sticky = { ttlMs: (model.sticky === true ? undefined : model.sticky.ttl_ms) ?? DEFAULT_STICKY_TTL_MS };
    }
    if (model.tasks) route.tasks = model.tasks;
    if (model.cache) route.cache = { ttlMs: model.cache === true ? cacheTtlMs : model.cache.ttl_ms };
    if (model.limits) route.limits = resolveRateLimits(model.limits);
    if (model.batch?.delegate !== undefined) route.batchDelegate = model.batch.delegate;
    models.set(name, route);
  }
  issues.push(...danglingTaskRoutes(file, models));
  const teams = new Map<string, TeamPolicy>();
  for (const [name, team] of Object.entries(file.auth?.teams ?? {})) {
    teams.set(name, { budget: resolveBudget(team.budget), limits: resolveRateLimits(team.limits) });
  }
  if (issues.length > 0) return { issues, notes };
  const config: GatewayConfig = {
    source,
    server: {
      host: file.server?.host ?? '127.0.0.1',
      port: file.server?.port ?? 4000,
      bodyLimitBytes: file.server?.body_limit_bytes ?? DEFAULT_BODY_LIMIT_BYTES,
      clientStallMs: file.server?.client_stall_ms ?? DEFAULT_CLIENT_STALL_MS,
      headersTimeoutMs: file.server?.headers_timeout_ms ?? DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: file.server?.request_timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS,
      bodyTimeoutMs: file.server?.body_timeout_ms ?? DEFAULT_BODY_TIMEOUT_MS,
      maxConnections: file.server?.max_connections ?? DEFAULT_MAX_CONNECTIONS,
      shutdownGraceMs: file.server?.shutdown_grace_ms ?? DEFAULT_SHUTDOWN_GRACE_MS,
      corsOrigins: file.server?.cors?.origins ?? [],
      watchConfig: file.server?.watch_config ?? false,
    },
    inputLimits: {
      jsonDepth: file.input_limits?.json_depth ?? DEFAULT_INPUT_LIMITS.jsonDepth,
      stringLength: file.input_limits?.string_length ?? DEFAULT_INPUT_LIMITS.stringLength,
      modelNameLength: file.input_limits?.model_name_length ?? DEFAULT_INPUT_LIMITS.modelNameLength,
      messages: file.input_limits?.messages ?? DEFAULT_INPUT_LIMITS.messages,
      tools: file.input_limits?.tools ?? DEFAULT_INPUT_LIMITS.tools,
      partsPerMessage: file.input_limits?.parts_per_message ?? DEFAULT_INPUT_LIMITS.partsPerMessage,
    },
    auth: { requireKeys: file.auth?.require_keys ?? false, teams },
    limits: { onBackendError: file.limits?.on_backend_error ?? 'open' },
    dataPolicy: { trustedOnlyTags: file.data_policy?.trusted_only_tags ?? [] },
    providerPolicies,
    storage: {
      url: file.storage?.url ?? DEFAULT_STORAGE_URL,
      retentionDays: file.storage?.retention_days ?? 30,
      responseRetentionDays: file.storage?.response_retention_days ?? 30,
      storeBodies: file.storage?.store_bodies ?? false,
      bodyRetentionDays: file.storage?.body_retention_days ?? DEFAULT_BODY_RETENTION_DAYS,
    },
    state: {
      url: file.state?.url ?? DEFAULT_STATE_URL,
      prefix: file.state?.prefix ?? 'switchyard:',
      syncIntervalMs: file.state?.sync_interval_ms ?? 200,
    },
    cache: {
      maxEntries: file.cache?.max_entries ?? DEFAULT_CACHE.maxEntries,
      maxBytes: file.cache?.max_bytes ?? DEFAULT_CACHE.maxBytes,
      ttlMs: cacheTtlMs,
    },
    logLevel: file.logging?.level ?? 'info',
    defaults,
    catalogOverrides,
    providers,
    models,
    tasks: { classifier: file.tasks?.classifier ?? 'off' },
    routingHistory: {
      intervalMs: file.routing?.history?.interval_ms ?? DEFAULT_ROUTING_HISTORY.intervalMs,
      samples: file.routing?.history?.samples ?? DEFAULT_ROUTING_HISTORY.samples,
    },
    batch: resolveBatch(file.batch),
  };
  if (file.server?.admin_key) config.server.adminKey = file.server.admin_key;
  const judge = file.compare?.judge;
  // The default metric is the bandit's, so judge scores teach bandit aliases unless told to keep apart.
  if (judge) config.compareJudge = { model: judge.model, rubric: judge.rubric ?? DEFAULT_JUDGE_RUBRIC, metric: judge.metric ?? DEFAULT_BANDIT.metric };
  if (file.server?.allowed_hosts) config.server.allowedHosts = file.server.allowed_hosts.map((name) => name.toLowerCase());
  return { config, issues, notes };
}
