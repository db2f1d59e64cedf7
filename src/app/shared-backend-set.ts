import type { SharedBudgetLedger } from '../backends/limits/shared-budget-ledger.js';
import type { SharedWindowCounters } from '../backends/limits/shared-window-counters.js';
import type { BanditStatistics } from '../ports/bandit-statistics.js';
import type { ResponseCache } from '../ports/response-cache.js';
import type { RoutingStatistics } from '../ports/routing-statistics.js';
import type { SessionAffinity } from '../ports/session-affinity.js';
import type { StateStore } from '../ports/state-store.js';

/** How often routing statistics are published to the other replicas and bandit evidence re-read. */
export const SHARED_REFRESH_MS = 1000;

/** What a fleet shares beside the state store; a part left undefined is the runtime's per-process default. */
export interface SharedBackends {
  bandit: BanditStatistics;
  sessions?: SessionAffinity;
  statistics?: RoutingStatistics;
  responseCache?: ResponseCache;
  governance?: { state: StateStore; counters: SharedWindowCounters; ledger: SharedBudgetLedger };
  /** Ends the timers (at shutdown). */
  stop(): void;
}

