import type { Redis } from 'ioredis';
import { BudgetLedger, type BudgetAlert, type BudgetReservation, type BudgetScope } from '../../limits/budget-ledger.js';
import { BUDGET_WINDOWS, windowEnd, windowStart, type BudgetWindow } from '../../limits/budget-windows.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';

/** How a shared ledger reaches Redis. */
export interface SharedBudgetOptions {
  redis: Redis;
  /** Namespaces the spend keys (`<prefix>budget:<scope>|<window>|<window start>`). */
  prefix: string;
  timer: IntervalTimer;
  /** How often this replica's settled spend is added to the fleet's and the fleet's totals read back. */
  syncIntervalMs: number;
  /** Wall-clock epoch ms (budget windows are calendar days and months, the same on every replica). */
  now(): number;
}

/** A day past a window's end, the fleet's total for it is no longer needed. */
const KEEP_AFTER_WINDOW_MS = 86_400_000;

/**
 * Adds `delta` to a window's fleet total and returns the total. A total Redis does not hold yet (the first replica to
 * spend in a window, or Redis restarted empty) starts from the seed: the spend the request record showed this replica.
 */
const ADD_SPEND = `
if redis.call('exists', KEYS[1]) == 0 then redis.call('set', KEYS[1], ARGV[2]) end
local total = redis.call('incrbyfloat', KEYS[1], ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('pexpire', KEYS[1], ARGV[3]) end
return total
`;

interface SpendSlot {
  scope: BudgetScope;
  window: BudgetWindow;
  start: number;
  redisKey: string;
}

/**
 * The budget ledger of a fleet: decisions stay the in-memory ledger's (reserve and settle answer from memory), and
 * each replica adds its settled spend to a per-window total in Redis (INCRBYFLOAT in one Lua call, atomic across
 * replicas) on a short interval, reading every total back into its own ledger. Reservations stay per replica. So a
 * budget that one replica spends stops the others within one sync interval; the documented overshoot is what the
 * other replicas admit in that interval (docs/operations.md, "Scaling out"). While Redis is unreachable each replica
 * goes on from the fleet total it last read plus its own spend, and adds that spend when Redis returns.
 */
export class SharedBudgetLedger extends BudgetLedger {
  private readonly scopes = new Map<string, BudgetScope>();
  /** Spend settled here and not yet added to the fleet's total, by slot key. */
  private readonly unsent = new Map<string, number>();
  private stopTimer: () => void = () => undefined;
  private syncing: Promise<void> | undefined;

  constructor(private readonly options: SharedBudgetOptions) {
    super();
  }

  /**
   * Starts syncing; call once the spend rebuilt from the request record is loaded, so a total Redis does not hold yet
   * starts from the record rather than from zero.
   */
  start(): void {
    this.stopTimer = this.options.timer.every(this.options.syncIntervalMs, () => void this.sync());
  }

  override load(scope: BudgetScope, window: BudgetWindow, spentUsd: number, nowMs: number): void {
    this.scopes.set(scope.id, scope);
    super.load(scope, window, spentUsd, nowMs);
  }

  override reserve(scopes: readonly BudgetScope[], usd: number, nowMs: number): BudgetReservation {
    for (const scope of scopes) this.scopes.set(scope.id, scope);
    return super.reserve(scopes, usd, nowMs);
  }

  override settle(reservation: BudgetReservation, actualUsd: number, nowMs: number): readonly BudgetAlert[] {
    if (actualUsd !== 0) {
      for (const { scope, window } of reservation.slots) {
        const key = this.slotOf(scope, window, nowMs).redisKey;
        this.unsent.set(key, (this.unsent.get(key) ?? 0) + actualUsd);
      }
    }
    return super.settle(reservation, actualUsd, nowMs);
  }

  /** Adds this replica's unsent spend to the fleet totals and loads every total back; one sync at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.syncAll().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** Stops the timer and adds what is still unsent (best effort). */
  async close(): Promise<void> {
    this.stopTimer();
    await this.sync();
  }

  private async syncAll(): Promise<void> {
    const now = this.options.now();
    const slots: SpendSlot[] = [];
    for (const scope of this.scopes.values()) {
      for (const [window, limit] of BUDGET_WINDOWS) if (scope.limits[limit] !== undefined) slots.push(this.slotOf(scope, window, now));
    }
    if (slots.length === 0) return;
    const sent = new Map<string, number>();
    const pipeline = this.options.redis.pipeline();
    for (const slot of slots) {
      const delta = this.unsent.get(slot.redisKey) ?? 0;
      this.unsent.delete(slot.redisKey);
      sent.set(slot.redisKey, delta);
      const end = windowEnd(slot.window, now);
      const seed = this.spent(slot.scope, slot.window, now) - delta;
      pipeline.eval(ADD_SPEND, 1, slot.redisKey, String(delta), String(Math.max(0, seed)), String(end === undefined ? 0 : end - now + KEEP_AFTER_WINDOW_MS));
    }
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await pipeline.exec();
    } catch {
      results = null;
    }
    slots.forEach((slot, index) => {
      const [error, total] = results?.[index] ?? [new Error('no reply'), undefined];
      const delta = sent.get(slot.redisKey) ?? 0;
      if (error || total === undefined) {
        // Redis unreachable (the state store reports it): add this spend on a later sync.
        if (delta !== 0) this.unsent.set(slot.redisKey, (this.unsent.get(slot.redisKey) ?? 0) + delta);
        return;
      }
      const later = this.options.now();
      // The window may have rolled over while the reply was on its way; the next sync reads the new one.
      if (windowStart(slot.window, later) !== slot.start) return;
      super.load(slot.scope, slot.window, Number(total) + (this.unsent.get(slot.redisKey) ?? 0), later);
    });
  }

  private slotOf(scope: BudgetScope, window: BudgetWindow, nowMs: number): SpendSlot {
    const start = windowStart(window, nowMs);
    return { scope, window, start, redisKey: `${this.options.prefix}budget:${scope.id}|${window}|${start}` };
  }
}
