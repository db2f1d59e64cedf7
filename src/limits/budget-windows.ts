import type { BudgetLimits } from '../ports/virtual-key.js';

/** The budget windows: the UTC day, the UTC calendar month, and the key's whole life. */
export type BudgetWindow = 'daily' | 'monthly' | 'total';

export const BUDGET_WINDOWS: ReadonlyArray<readonly [BudgetWindow, keyof BudgetLimits]> = [
  ['daily', 'dailyUsd'],
  ['monthly', 'monthlyUsd'],
  ['total', 'totalUsd'],
];

/** Epoch ms at which the window containing `nowMs` began (0 for `total`). */
export function windowStart(window: BudgetWindow, nowMs: number): number {
  if (window === 'total') return 0;
  const date = new Date(nowMs);
  return window === 'daily'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** Epoch ms at which the window containing `nowMs` ends (undefined for `total`, which never resets). */
export function windowEnd(window: BudgetWindow, nowMs: number): number | undefined {
  if (window === 'total') return undefined;
  const date = new Date(nowMs);
  return window === 'daily'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}
