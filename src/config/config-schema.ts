import { z } from 'zod';
import { TASK_CLASSES } from '../core/index.js';
import { anthropicConfigKeys } from '../providers/anthropic/anthropic-config-keys.js';
import { geminiConfigKeys } from '../providers/gemini/gemini-config-keys.js';
import { simulatedConfigKeys } from '../providers/simulated/simulated-options-schema.js';

/** OpenAI-family types other than `openai` itself, which alone takes `api`. */
const otherOpenAIFamilyTypes = ['deepseek', 'qwen', 'mistral', 'groq', 'openai-compatible'] as const;

const retrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(10).optional(),
  base_delay_ms: z.number().int().min(0).optional(),
  max_delay_ms: z.number().int().min(0).optional(),
});

const timeoutsSchema = z.strictObject({
  connect_ms: z.number().int().positive().optional(),
  first_token_ms: z.number().int().positive().optional(),
  stall_ms: z.number().int().positive().optional(),
  total_ms: z.number().int().positive().optional(),
});

const breakerSchema = z.strictObject({
  failure_threshold: z.number().int().min(1).optional(),
  error_rate: z.number().gt(0).max(1).optional(),
  min_requests: z.number().int().min(1).optional(),
  window_ms: z.number().int().positive().optional(),
  cooldown_ms: z.number().int().positive().optional(),
});

const catalogOverrideSchema = z.strictObject({
  context_window: z.number().int().positive().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  capabilities: z
    .strictObject({
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
      json_schema: z.boolean().optional(),
      reasoning: z.boolean().optional(),
    })
    .optional(),
  /** USD per million tokens. */
  price: z
    .strictObject({
      input: z.number().min(0).optional(),
      output: z.number().min(0).optional(),
      cache_read: z.number().min(0).optional(),
      cache_write: z.number().min(0).optional(),
    })
    .optional(),
});

/** Requests and tokens per minute. */
const rateLimitsSchema = z.strictObject({
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
});

/** Spend limits in US dollars per UTC day, UTC calendar month, or in total. */
const budgetSchema = z.strictObject({
  daily_usd: z.number().positive().optional(),
  monthly_usd: z.number().positive().optional(),
  total_usd: z.number().positive().optional(),
});

/** Built-in redaction patterns for outgoing prompt text, or `regex:<pattern>`. */
const redactionSchema = z.union([
  z.enum(['email', 'card_number']),
  z.string().regex(/^regex:.+/, 'expected email, card_number or regex:<pattern>'),
]);

/** Keys every provider block takes, whatever its type. */
const commonProviderKeys = {
  base_url: z.url({ protocol: /^https?$/ }).optional(),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Catalogue overrides per upstream model: context window, max output, capabilities. */
  models: z.record(z.string(), catalogOverrideSchema).optional(),
  /** Rate limits per deployment (this provider and one upstream model), the provider's own quota. */
  limits: rateLimitsSchema.optional(),
  /** `trusted` providers may receive requests tagged with `data_policy.trusted_only_tags`. */
  data_policy: z.enum(['trusted', 'standard']).optional(),
  /** Patterns replaced by `[REDACTED]` in prompt text sent to this provider. */
  redact: z.array(redactionSchema).optional(),
};

/** A provider block, discriminated on `type`; each type's own keys come from its provider's schema. */
const providerSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('openai'),
    ...commonProviderKeys,
    /** `responses` sends generations to the upstream's /responses instead of /chat/completions. */
    api: z.enum(['chat', 'responses']).optional(),
  }),
  z.strictObject({ type: z.enum(otherOpenAIFamilyTypes), ...commonProviderKeys }),
  z.strictObject({ type: z.literal('anthropic'), ...commonProviderKeys, ...anthropicConfigKeys }),
  z.strictObject({ type: z.literal('gemini'), ...commonProviderKeys, ...geminiConfigKeys }),
  z.strictObject({ type: z.literal('simulated'), ...commonProviderKeys, ...simulatedConfigKeys }),
]);

const targetSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  weight: z.number().min(0).optional(),
});

const strategySchema = z.enum(['fallback', 'weighted', 'cost', 'latency', 'least-busy', 'bandit']);

/** Where a task class goes: another alias, or this alias's targets under another strategy. */
const taskRouteSchema = z.union([
  z.strictObject({ model: z.string().min(1) }),
  z.strictObject({ strategy: strategySchema }),
]);

/** Thompson sampling over the targets from feedback (`strategy: bandit`). */
const banditSchema = z.strictObject({
  /** The feedback metric it learns from. */
  metric: z.string().min(1).optional(),
  /** How much quality, cost and latency count in the objective (cost and latency are scaled to 0..1 across targets). */
  weights: z.strictObject({ quality: z.number().min(0).optional(), cost: z.number().min(0).optional(), latency: z.number().min(0).optional() }).optional(),
  /** Beta prior on each target's quality. */
  prior: z.strictObject({ alpha: z.number().positive().optional(), beta: z.number().positive().optional() }).optional(),
  /** Share of requests sent to a uniformly drawn target, so every target keeps being measured. */
  exploration: z.number().min(0).max(1).optional(),
  /** Evidence halves after this many later feedback events on the same alias and task class. */
  half_life: z.number().int().positive().optional(),
  /** Stop learning and route by the learned means, without sampling or exploration. */
  frozen: z.boolean().optional(),
});

const modelSchema = z.strictObject({
  strategy: strategySchema.optional(),
  /** Per task class: another alias or another strategy. */
  tasks: z.partialRecord(z.enum(TASK_CLASSES), taskRouteSchema).optional(),
  bandit: banditSchema.optional(),
  targets: z.array(targetSchema).min(1),
  /** `cost`: output tokens a request without max_tokens is priced with. */
  expected_output_tokens: z.number().int().positive().optional(),
  /** `latency`: share of requests sent first to a slower deployment so its statistics stay fresh. */
  exploration: z.number().min(0).max(1).optional(),
  /** Keeps a session (x-switchyard-session, metadata.session, OpenAI `user`) on the deployment that served it. */
  sticky: z.union([z.boolean(), z.strictObject({ ttl_ms: z.number().int().positive().optional() })]).optional(),
  retry: retrySchema.optional(),
  timeouts: timeoutsSchema.optional(),
  breaker: breakerSchema.optional(),
  hedge_ms: z.number().int().positive().optional(),
  resume_on_stall: z.boolean().optional(),
  seed: z.number().int().optional(),
  /** Serve repeated identical requests from the response cache: true, or the entries' lifetime. */
  cache: z.union([z.boolean(), z.strictObject({ ttl_ms: z.number().int().positive() })]).optional(),
  /** Rate limits for this alias across all keys. */
  limits: rateLimitsSchema.optional(),
  /** true: a max_tokens that does not fit a target is a 400 (or a skip) instead of being clamped to what fits. */
  strict_max_tokens: z.boolean().optional(),
  /** Batch jobs on this alias: `delegate: true` lets a job go to a target provider's own batch API. */
  batch: z.strictObject({ delegate: z.boolean().optional() }).optional(),
});

/** The batch lane: how batch jobs (and live requests sent with `x-switchyard-priority: batch`) share upstreams. */
const batchSchema = z.strictObject({
  /** Batch lines this replica runs at once, across all jobs. */
  concurrency: z.number().int().positive().optional(),
  /** Batch attempts in flight per provider deployment (provider + model), apart from live traffic. */
  deployment_concurrency: z.number().int().positive().optional(),
  /** Batch attempts started per minute per deployment (0: no rate budget). */
  deployment_rpm: z.number().int().min(0).optional(),
  /** The longest retry-after a batch attempt waits out on the same target instead of failing over. */
  patience_ms: z.number().int().min(0).optional(),
  /** How many times a line is run before it goes to the error file. */
  line_attempts: z.number().int().positive().optional(),
  /** Default cost cap of a job in US dollars; a job pauses when it reaches it. */
  max_cost_usd: z.number().positive().optional(),
  /**
   * How long a claimed line belongs to the replica running it without that replica renewing the claim (it does every
   * third of this while the line runs); a dead replica's lines are taken over once it ends.
   */
  lease_ms: z.number().int().min(1000).optional(),
  /** How often an idle runner looks for work. */
  poll_ms: z.number().int().positive().optional(),
  /** How often a job delegated to a provider's batch API is polled. */
  delegate_poll_ms: z.number().int().positive().optional(),
  /** Lines handed out per claim. */
  chunk_size: z.number().int().positive().max(1000).optional(),
});

/** The config file, as CONTRACT.md describes it; every object is strict so unknown keys fail with their path. */
export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).optional(),
      port: z.coerce.number().int().min(0).max(65535).optional(),
      admin_key: z.string().optional(),
      body_limit_bytes: z.number().int().positive().optional(),
      /** A streaming client that reads nothing for this long has its upstream call aborted. */
      client_stall_ms: z.number().int().positive().optional(),
      /** The request line and headers must arrive within this. */
      headers_timeout_ms: z.number().int().positive().optional(),
      /** The whole request, headers and body, must arrive within this. */
      request_timeout_ms: z.number().int().positive().optional(),
      /** Longest silence allowed between two pieces of a request body. */
      body_timeout_ms: z.number().int().positive().optional(),
      /** Connections beyond this many are closed as they arrive. */
      max_connections: z.number().int().positive().optional(),
      /** SIGTERM ends whatever is still running after this long, records it, and exits. */
      shutdown_grace_ms: z.number().int().positive().optional(),
      /** Host header names accepted (DNS-rebinding defence); default: loopback names when bound to loopback. */
      allowed_hosts: z.array(z.string().min(1)).optional(),
      /** Browser origins allowed to call the API; without it, no CORS headers and cross-origin calls get 403. */
      cors: z.strictObject({ origins: z.array(z.string().min(1)) }).optional(),
      /** Reload the config when its file changes (beside SIGHUP and POST /admin/reload). */
      watch_config: z.boolean().optional(),
    })
    .optional(),
  input_limits: z
    .strictObject({
      json_depth: z.number().int().min(2).max(1000).optional(),
      string_length: z.number().int().positive().optional(),
      model_name_length: z.number().int().positive().optional(),
      messages: z.number().int().positive().optional(),
      tools: z.number().int().positive().optional(),
      parts_per_message: z.number().int().positive().optional(),
    })
    .optional(),
  auth: z
    .strictObject({
      require_keys: z.boolean().optional(),
      /** Budgets and rate limits shared by every key of a team. */
      teams: z.record(z.string().min(1), z.strictObject({ budget: budgetSchema.optional(), limits: rateLimitsSchema.optional() })).optional(),
    })
    .optional(),
  limits: z
    .strictObject({
      /** What a request gets when the limiter or the spend record cannot answer: `open` lets it through, `closed` refuses it. */
      on_backend_error: z.enum(['open', 'closed']).optional(),
    })
    .optional(),
  data_policy: z
    .strictObject({
      /** Requests carrying any of these tags go only to providers with `data_policy: trusted`. */
      trusted_only_tags: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  storage: z
    .strictObject({
      url: z
        .string()
        .regex(/^(sqlite:\/\/.+|postgres(ql)?:\/\/.+)$/, 'use sqlite://PATH (sqlite://./switchyard.db, sqlite://:memory:) or postgres://…')
        .optional(),
      /** Rows older than this are pruned (0 keeps everything). */
      retention_days: z.number().min(0).optional(),
      /** Stored Responses API responses older than this are deleted (0 keeps them all). */
      response_retention_days: z.number().min(0).optional(),
      /** Store request and response bodies, with keys and auth headers redacted. */
      store_bodies: z.boolean().optional(),
      /** Stored bodies older than this are deleted while their records stay (0 keeps them as long as the record). */
      body_retention_days: z.number().min(0).optional(),
    })
    .optional(),
  state: z
    .strictObject({
      url: z.string().regex(/^(memory:\/\/|rediss?:\/\/.*)$/, 'use memory:// or redis://host:6379 (rediss:// for TLS)').optional(),
      /** Prefix of every Redis key and channel, so several gateways (or test runs) can share one Redis. */
      prefix: z.string().min(1).max(100).optional(),
      /** How often each replica merges its local writes into Redis. */
      sync_interval_ms: z.number().int().min(10).max(10_000).optional(),
    })
    .optional(),
  /** Bounds of the response cache (process memory) and the lifetime of entries that name none. */
  cache: z
    .strictObject({
      max_entries: z.number().int().positive().optional(),
      max_bytes: z.number().int().positive().optional(),
      ttl_ms: z.number().int().positive().optional(),
    })
    .optional(),
  logging: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    })
    .optional(),
  defaults: z
    .strictObject({ retry: retrySchema.optional(), timeouts: timeoutsSchema.optional(), breaker: breakerSchema.optional() })
    .optional(),
  routing: z
    .strictObject({
      /** Default for every route: true restores the 400 for a max_tokens that fits no target, instead of clamping it. */
      strict_max_tokens: z.boolean().optional(),
      /** How often GET /admin/routing samples each alias's weights and statistics, and how many samples it keeps. */
      history: z
        .strictObject({
          interval_ms: z.number().int().min(1000).max(3_600_000).optional(),
          samples: z.number().int().min(1).max(10_000).optional(),
        })
        .optional(),
    })
    .optional(),
  /** false removes the built-in `simulated` provider that otherwise serves `simulated/*` next to the file's providers. */
  simulated_provider: z.boolean().optional(),
  providers: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'provider ids use letters, digits, _ . -'), providerSchema).optional(),
  models: z.record(z.string().min(1), modelSchema).optional(),
  batch: batchSchema.optional(),
  /** `/v1/compare`: an optional judge model that scores the legs against a rubric; its scores become feedback. */
  compare: z
    .strictObject({
      judge: z
        .strictObject({
          model: z.string().min(1).max(256),
          rubric: z.string().min(1).max(4000).optional(),
          metric: z
            .string()
            .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'use 1 to 64 letters, digits, _ . : -')
            .optional(),
        })
        .optional(),
    })
    .optional(),
  /** How requests without `metadata.task` or `x-switchyard-task` get a task class. */
  tasks: z.strictObject({ classifier: z.enum(['heuristic', 'off']).optional() }).optional(),
});

export type ConfigFile = z.infer<typeof configSchema>;
export type ProviderConfig = z.infer<typeof providerSchema>;
export type RetryConfig = z.infer<typeof retrySchema>;
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;
export type BudgetConfig = z.infer<typeof budgetSchema>;
export type BreakerConfig = z.infer<typeof breakerSchema>;
export type CatalogOverride = z.infer<typeof catalogOverrideSchema>;
export type BanditConfig = z.infer<typeof banditSchema>;
