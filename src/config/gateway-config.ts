import type { ProviderSettings } from '../providers/provider-adapter.js';

/** Retry policy per target (full-jitter exponential backoff). */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Deadlines by phase. */
export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  stallMs: number;
  totalMs: number;
}

export type RoutingStrategy = 'fallback' | 'weighted' | 'cost' | 'latency' | 'bandit';

export interface RouteTarget {
  providerId: string;
  model: string;
  weight?: number;
}

/** A model alias clients can name, with its targets and policies. */
export interface ModelRoute {
  name: string;
  strategy: RoutingStrategy;
  targets: RouteTarget[];
  retry: RetryPolicy;
  timeouts: Timeouts;
  hedgeMs?: number;
  resumeOnStall: boolean;
}

/** The resolved runtime configuration: validated, interpolated, defaults applied. */
export interface GatewayConfig {
  /** Where it came from, for the startup banner: a file path or `built-in default`. */
  source: string;
  server: { host: string; port: number; adminKey?: string; bodyLimitBytes: number };
  auth: { requireKeys: boolean };
  storage: { url: string };
  state: { url: string };
  logLevel: string;
  defaults: { retry: RetryPolicy; timeouts: Timeouts };
  providers: Map<string, ProviderSettings>;
  models: Map<string, ModelRoute>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 100, maxDelayMs: 2000 };
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5000, firstTokenMs: 60_000, stallMs: 30_000, totalMs: 600_000 };
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
