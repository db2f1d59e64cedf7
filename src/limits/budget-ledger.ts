import { GatewayError } from '../core/index.js';
import type { BudgetLimits } from '../ports/virtual-key.js';
import { BUDGET_WINDOWS, windowEnd, windowStart, type BudgetWindow } from './budget-windows.js';

const LIMIT_OF = new Map(BUDGET_WINDOWS);

/** Who a budget belongs to: `key:<id>` or `team:<name>`, with a label for messages and logs. */
export interface BudgetScope {
  id: string;
  label: string;
  limits: BudgetLimits;
}

/** One window of one scope, as a reservation names it. */
export interface ReservedSlot {
  readonly scope: BudgetScope;
  readonly window: BudgetWindow;
}

/**
 * Money set aside for one request in every window of every scope it spends from. The slots are the ledger's own
 * objects, so a reservation allocates no list of ids.
 */
export interface BudgetReservation {
  usd: number;
  slots: readonly ReservedSlot[];
}

/** A scope's spend crossing 80 % or 100 % of one of its limits. */
export interface BudgetAlert {
  scope: string;
  window: BudgetWindow;
  threshold: 80 | 100;
  spentUsd: number;
  limitUsd: number;
}

interface Slot {
  scope: BudgetScope;
  window: BudgetWindow;
  limit: number;
  start: number;
  /** Where the window ends (Infinity for `total`), so a request inside it computes no calendar dates. */
  end: number;
  spent: number;
  reserved: number;
}

const THRESHOLDS = [80, 100] as const;

/** What a settlement that crossed no threshold returns: no array made per request. */
const NO_ALERTS: readonly BudgetAlert[] = [];

/** Moves a slot on to the window containing `nowMs` when that is a new one: its spend starts again from 0. */
function rollOver(slot: Slot, nowMs: number): void {
  if (nowMs >= slot.start && nowMs < slot.end) return;
  const start = windowStart(slot.window, nowMs);
  if (slot.start !== start) {
    slot.start = start;
    slot.spent = 0;
  }
  slot.end = windowEnd(slot.window, nowMs) ?? Infinity;
}

/**
 * Spend per scope and window, held in memory: a request reserves its estimated cost before the call and settles the
 * recorded cost after it. A reservation is refused when spent + reserved + estimate would pass a limit, so concurrent
 * requests can overspend only by what their actual cost exceeds their estimate. Windows roll over by the wall clock.
 */
export class BudgetLedger {
  /** Slots by scope id and window. */
  private readonly byScope = new Map<string, Map<BudgetWindow, Slot>>();

  /** Sets a scope's recorded spend in a window (rebuilt from the request record at start). */
  load(scope: BudgetScope, window: BudgetWindow, spentUsd: number, nowMs: number): void {
    const slot = this.slot(scope, window, nowMs);
    if (slot) slot.spent = spentUsd;
  }

  /** Reserves `usd` in every limited window of every scope; throws 429 `budget_exceeded` when one would overflow. */
  reserve(scopes: readonly BudgetScope[], usd: number, nowMs: number): BudgetReservation {
    const touched: Slot[] = [];
    for (const scope of scopes) {
      for (const [window, limitKey] of BUDGET_WINDOWS) {
        // A scope usually limits one window: the others are passed over without a lookup.
        if (scope.limits[limitKey] === undefined) continue;
        const slot = this.slot(scope, window, nowMs);
        if (!slot) continue;
        const committed = slot.spent + slot.reserved;
        if (committed >= slot.limit || committed + usd > slot.limit) throw this.exceeded(slot, usd, nowMs);
        touched.push(slot);
      }
    }
    for (const slot of touched) slot.reserved += usd;
    return { usd, slots: touched };
  }

  /** Replaces a reservation with the actual cost; returns the thresholds this request's spend crossed. */
  settle(reservation: BudgetReservation, actualUsd: number, nowMs: number): readonly BudgetAlert[] {
    let alerts: BudgetAlert[] | undefined;
    for (const reserved of reservation.slots) {
      const slot = this.heldSlot(reserved);
      if (!slot) continue;
      slot.reserved = Math.max(0, slot.reserved - reservation.usd);
      // The slot holds its scope's current limit; only its window may have moved on since the reservation.
      rollOver(slot, nowMs);
      const before = slot.spent;
      slot.spent += actualUsd;
      for (const threshold of THRESHOLDS) {
        const line = (slot.limit * threshold) / 100;
        if (before < line && slot.spent >= line) {
          (alerts ??= []).push({ scope: slot.scope.label, window: slot.window, threshold, spentUsd: slot.spent, limitUsd: slot.limit });
        }
      }
    }
    return alerts ?? NO_ALERTS;
  }

  /** What a scope has spent in a window so far (for the admin view). */
  spent(scope: BudgetScope, window: BudgetWindow, nowMs: number): number {
    return this.slot(scope, window, nowMs)?.spent ?? 0;
  }

  /** The slot for a scope's window, rolled over when the window changed, with the scope's current limit. */
  private slot(scope: BudgetScope, window: BudgetWindow, nowMs: number): Slot | undefined {
    const limit = scope.limits[LIMIT_OF.get(window) ?? 'totalUsd'];
    if (limit === undefined) return undefined;
    let windows = this.byScope.get(scope.id);
    if (!windows) {
      windows = new Map();
      this.byScope.set(scope.id, windows);
    }
    let slot = windows.get(window);
    if (!slot) {
      const start = windowStart(window, nowMs);
      slot = { scope, window, limit, start, end: windowEnd(window, nowMs) ?? Infinity, spent: 0, reserved: 0 };
      windows.set(window, slot);
    } else {
      rollOver(slot, nowMs);
    }
    slot.scope = scope;
    slot.limit = limit;
    return slot;
  }

  /** The ledger's slot a reservation names (the same object `reserve` put there). */
  private heldSlot(reserved: ReservedSlot): Slot | undefined {
    return this.byScope.get(reserved.scope.id)?.get(reserved.window);
  }

  private exceeded(slot: Slot, usd: number, nowMs: number): GatewayError {
    const end = windowEnd(slot.window, nowMs);
    const resets = end === undefined ? 'it does not reset' : `it resets at ${new Date(end).toISOString()}`;
    return new GatewayError(
      'budget_exceeded',
      `Budget exceeded: ${slot.scope.label} has spent $${slot.spent.toFixed(4)} of its ${slot.window} budget of $${slot.limit} ` +
        `(this request needs up to $${usd.toFixed(4)}; ${resets})`,
      end === undefined ? {} : { retryAfterMs: end - nowMs },
    );
  }
}
