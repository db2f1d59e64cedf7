import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './gauge-sources.js';

/** Metrics of keys, limits, budgets and secrets; every label value comes from code or the config, never from clients. */
export class GovernanceMetrics {
  private readonly rejections: Counter<'limit'>;
  private readonly budgetAlerts: Counter<'scope' | 'window' | 'threshold'>;
  private readonly secretFailures: Counter<'provider'>;
  private readonly secretRotations: Counter<'provider'>;
  private readonly backendErrors: Counter<'mode'>;

  constructor(registry: Registry) {
    const counter = <T extends string>(name: string, help: string, labelNames: readonly T[]): Counter<T> =>
      new Counter({ name: `${METRIC_PREFIX}${name}`, help, labelNames, registers: [registry] });
    this.rejections = counter('limit_rejections_total', 'Requests refused by a limit: key/team/alias/deployment RPM or TPM, or a budget.', ['limit']);
    this.budgetAlerts = counter('budget_alerts_total', 'Budgets whose spend crossed 80 % or 100 % of a limit, by scope kind and window.', ['scope', 'window', 'threshold']);
    this.secretFailures = counter('secret_refresh_failures_total', 'Secret reads that failed (the last good value stays in use), by provider.', ['provider']);
    this.secretRotations = counter('secret_rotations_total', 'Secret reads that found a new value, by provider.', ['provider']);
    this.backendErrors = counter('limiter_backend_errors_total', 'Limiter failures, by what the request got: open (let through) or closed (refused).', ['mode']);
  }

  /** A request refused by a limit. */
  rejected(limit: string): void {
    this.rejections.inc({ limit });
  }

  /** A budget threshold crossed; `scope` is `key` or `team`. */
  budgetAlert(scope: string, window: string, threshold: number): void {
    this.budgetAlerts.inc({ scope, window, threshold: String(threshold) });
  }

  secretRefreshFailed(provider: string): void {
    this.secretFailures.inc({ provider });
  }

  secretRotated(provider: string): void {
    this.secretRotations.inc({ provider });
  }

  backendError(mode: 'open' | 'closed'): void {
    this.backendErrors.inc({ mode });
  }
}
