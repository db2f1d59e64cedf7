import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { ModelLookup } from '../catalog/index.js';
import { CachedKeyDirectory } from '../backends/keys/cached-key-directory.js';
import { createGovernanceStore } from '../backends/keys/create-governance-store.js';
import { StoreKeyAdministration } from '../backends/keys/store-key-administration.js';
import { FlexibleWindowCounters } from '../backends/limits/flexible-window-counters.js';
import type { SharedBudgetLedger } from '../backends/limits/shared-budget-ledger.js';
import type { SharedWindowCounters } from '../backends/limits/shared-window-counters.js';
import { deploymentLimitedClient } from '../backends/governance/deployment-limited-client.js';
import { redactingClient } from '../backends/governance/redacting-client.js';
import { secretResolvingClient } from '../backends/governance/secret-resolving-client.js';
import { secretResolvingBatchApis } from '../backends/governance/secret-resolving-batch-apis.js';
import { AwsSecretSource } from '../backends/secrets/aws-secret-source.js';
import { FileSecretSource } from '../backends/secrets/file-secret-source.js';
import { SecretCache } from '../backends/secrets/secret-cache.js';
import { VaultSecretSource, vaultSettingsFrom } from '../backends/secrets/vault-secret-source.js';
import { AccessGate } from '../limits/access-gate.js';
import { BudgetLedger } from '../limits/budget-ledger.js';
import { BUDGET_WINDOWS, windowStart } from '../limits/budget-windows.js';
import type { GovernanceMetrics } from '../observability/governance-metrics.js';
import type { AuditEntry, AuditLog } from '../ports/audit-log.js';
import type { KeyStore } from '../ports/key-store.js';
import type { ProviderBatchApis } from '../ports/provider-batch-api.js';
import type { ProviderClient } from '../ports/provider-client.js';
import type { SecretSource } from '../ports/secret-source.js';
import type { StateStore } from '../ports/state-store.js';
import type { KeyAdministration, KeyDirectory, ResolvedKey } from '../ports/virtual-key.js';

export interface GovernanceOptions {
  config(): GatewayConfig;
  lookup(): ModelLookup;
  logger: Logger;
  metrics?: GovernanceMetrics;
  /** Open the key store and audit log (when keys are required, the admin API is on, or the record is persisted). */
  openStore: boolean;
  env: Record<string, string | undefined>;
  /** Wall-clock epoch ms; default `Date.now`. */
  now?: () => number;
  /** How often the key cache reads changes from the store; default 500 ms. */
  keyPollMs?: number;
  /** Told every value read from a secret store, so logs and records scrub them like configured keys. */
  onSecretValues?(values: string[]): void;
  /**
   * A fleet's shared state: rate-limit windows and budget spend kept across replicas (default: this process's own),
   * and the state store through which a key changed here makes every replica re-read its keys at once.
   */
  shared?: { counters: SharedWindowCounters; ledger: SharedBudgetLedger; state: StateStore };
}

/** The state key a key change is announced under; its value only has to differ from the previous one. */
const KEY_CHANGE = 'keys:changed';

/** Keys, limits, budgets, secrets and audit, wired for one gateway process. */
export interface Governance {
  gate: AccessGate;
  /** Present when a store is open. */
  keys?: KeyAdministration;
  audit?: AuditLog;
  /** Wraps a provider client with deployment limits, prompt redaction and secret resolution. */
  wrapClient(client: ProviderClient): ProviderClient;
  /** Wraps the provider batch APIs so a secret-reference key is resolved on every call, as for live calls. */
  wrapBatchApis(apis: ProviderBatchApis): ProviderBatchApis;
  /** Records an administrative action (no-op without a store). */
  record(entry: Omit<AuditEntry, 'id' | 'at'>): void;
  /** Reads secret references a reloaded config adds. */
  trackSecrets(config: GatewayConfig): Promise<void>;
  /** Every provider key value read from a secret store. */
  secretValues(): string[];
  /** A key by its id, from memory, when it exists and is neither revoked nor expired (batch jobs run on their key). */
  keyById(id: string): ResolvedKey | undefined;
  close(): Promise<void>;
}

const EMPTY_DIRECTORY: KeyDirectory = { find: () => undefined };

function secretReferences(config: GatewayConfig): string[] {
  return [...config.providerPolicies.values()].flatMap((policy) => (policy.secretReference === undefined ? [] : [policy.secretReference]));
}

function providersUsing(config: GatewayConfig, reference: string): string[] {
  return [...config.providerPolicies].filter(([, policy]) => policy.secretReference === reference).map(([id]) => id);
}

/** Sources for each secret scheme; Vault only when VAULT_ADDR is set. */
function secretSources(env: Record<string, string | undefined>): Map<string, SecretSource> {
  const sources = new Map<string, SecretSource>([
    ['file', new FileSecretSource()],
    ['aws-sm', new AwsSecretSource()],
  ]);
  const vault = vaultSettingsFrom(env);
  if (vault) sources.set('vault', new VaultSecretSource(vault));
  return sources;
}

/** Rebuilds each key's and team's spend per budget window from the request record, so a restart never resets it. */
async function rebuildSpend(store: KeyStore, directory: CachedKeyDirectory, gate: AccessGate, ledger: BudgetLedger, config: GatewayConfig, now: number): Promise<void> {
  for (const [window] of BUDGET_WINDOWS) {
    const spend = await store.spendByKey(windowStart(window, now));
    const teams = new Map<string, number>();
    for (const resolved of directory.all()) {
      const spent = spend.get(resolved.key.id) ?? 0;
      if (resolved.key.team !== undefined) teams.set(resolved.key.team, (teams.get(resolved.key.team) ?? 0) + spent);
      for (const scope of gate.budgetScopes(resolved, config)) {
        ledger.load(scope, window, scope.id.startsWith('team:') ? 0 : spent, now);
      }
    }
    for (const resolved of directory.all()) {
      for (const scope of gate.budgetScopes(resolved, config)) {
        if (scope.id.startsWith('team:')) ledger.load(scope, window, teams.get(resolved.key.team ?? '') ?? 0, now);
      }
    }
  }
}

/** Opens the store (when asked), loads keys and spend, reads secrets, and builds the gate and client wrappers. */
export async function startGovernance(options: GovernanceOptions): Promise<Governance> {
  const { logger, metrics, config } = options;
  const now = options.now ?? Date.now;
  const store = options.openStore
    ? await createGovernanceStore(config().storage.url, { onError: (error) => logger.warn({ err: error }, 'key store connection error') })
    : undefined;
  let directory: CachedKeyDirectory | undefined;
  let stopWatchingKeys = (): void => undefined;
  if (store) {
    await store.migrate();
    const keys = new CachedKeyDirectory(store, {
      ...(options.keyPollMs === undefined ? {} : { pollMs: options.keyPollMs }),
      onError: (error) => logger.warn({ err: error }, 'key store unreachable; serving the keys already loaded'),
    });
    directory = keys;
    await keys.start();
    // Another replica changed a key: read it now rather than at the next poll.
    stopWatchingKeys =
      options.shared?.state.watch(KEY_CHANGE, () => {
        keys.refresh().catch((error: unknown) => logger.warn({ err: error }, 'key store unreachable; serving the keys already loaded'));
      }) ?? stopWatchingKeys;
  }
  const ledger = options.shared?.ledger ?? new BudgetLedger();
  const gate = new AccessGate({
    config,
    lookup: options.lookup,
    keys: directory ?? EMPTY_DIRECTORY,
    counters: options.shared?.counters ?? new FlexibleWindowCounters(),
    ledger,
    now,
    events: {
      budgetAlert: (alert) => {
        metrics?.budgetAlert(alert.scope.split(' ')[0] ?? 'key', alert.window, alert.threshold);
        logger.warn({ budget: alert }, `budget ${alert.threshold}% reached: ${alert.scope} spent $${alert.spentUsd.toFixed(4)} of its ${alert.window} $${alert.limitUsd}`);
      },
      backendError: (error, mode) => {
        metrics?.backendError(mode);
        logger.warn({ err: error, mode }, `rate limiter unavailable; request ${mode === 'open' ? 'let through' : 'refused'}`);
      },
      rejected: (limit) => metrics?.rejected(limit),
    },
  });
  if (store && directory) await rebuildSpend(store, directory, gate, ledger, config(), now());
  options.shared?.ledger.start();
  const record = (entry: Omit<AuditEntry, 'id' | 'at'>): void => {
    if (!store) return;
    store.append({ ...entry, id: `aud_${randomBytes(8).toString('hex')}`, at: now() }).catch((error: unknown) => logger.warn({ err: error }, 'audit write failed'));
  };
  const failing = new Set<string>();
  const secrets = new SecretCache(secretSources(options.env), {
    events: {
      refreshed: (reference, changed) => {
        options.onSecretValues?.(secrets.values());
        const providers = providersUsing(config(), reference);
        if (changed) {
          for (const provider of providers) metrics?.secretRotated(provider);
          logger.info({ providers }, 'provider secret rotated');
          record({ actor: 'gateway', action: 'secret.refresh', target: providers.join(','), details: { reference: reference.split('#')[0], changed: true } });
        }
        failing.delete(reference);
      },
      failed: (reference, error) => {
        const providers = providersUsing(config(), reference);
        for (const provider of providers) metrics?.secretRefreshFailed(provider);
        logger.warn({ providers, err: error }, 'provider secret refresh failed; keeping the last good value');
        if (!failing.has(reference)) {
          failing.add(reference);
          record({ actor: 'gateway', action: 'secret.refresh_failed', target: providers.join(','), details: { reference: reference.split('#')[0], error: (error as Error).message } });
        }
      },
    },
  });
  await secrets.start(secretReferences(config()));
  const policies = () => config().providerPolicies;
  const wrapped = new WeakMap<ProviderClient, ProviderClient>();
  const governance: Governance = {
    gate,
    wrapClient(client) {
      let outer = wrapped.get(client);
      if (!outer) {
        outer = deploymentLimitedClient(redactingClient(secretResolvingClient(client, policies, secrets), policies), gate, options.lookup);
        wrapped.set(client, outer);
      }
      return outer;
    },
    wrapBatchApis: (apis) => secretResolvingBatchApis(apis, policies, secrets),
    record,
    trackSecrets: (next) => secrets.track(secretReferences(next)),
    secretValues: () => secrets.values(),
    keyById(id) {
      const found = directory?.byKeyId(id);
      if (!found || found.key.revokedAt !== undefined || (found.key.expiresAt !== undefined && found.key.expiresAt <= now())) return undefined;
      return found;
    },
    async close() {
      secrets.stop();
      directory?.stop();
      stopWatchingKeys();
      await options.shared?.counters.close();
      await options.shared?.ledger.close();
      await store?.close();
    },
  };
  if (store) {
    governance.audit = store;
    const shared = options.shared;
    governance.keys = new StoreKeyAdministration({
      store,
      audit: store,
      onChange: (key) => {
        directory?.apply(key);
        shared?.state.set(KEY_CHANGE, { id: key.id, at: key.updatedAt }, { broadcast: true });
      },
      now,
    });
  }
  return governance;
}
