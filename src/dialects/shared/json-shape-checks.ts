import { isRecord } from '../../core/index.js';

// The checks the request readers share. A reader takes a body only when its zod schema would accept it unchanged, so
// each check states exactly what the schema's own rule takes (zod 4: `z.number()` refuses NaN and infinities,
// `.int()` means a safe integer).

/** A JSON object the schema copies key for key; one with an own `__proto__` key (zod's copy drops it) is not. */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !Object.hasOwn(value, '__proto__');
}

/** Whether every key of `value` is one of `allowed`: the schema's strict and plain objects drop or refuse the others. */
export function onlyKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const key in value) if (!allowed.has(key)) return false;
  return true;
}

/** An array whose every item passes `check`. */
export function everyItem(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!check(item)) return false;
  return true;
}

/** Absent or passing `check` (`.optional()`: null is a wrong type). */
export function optional(value: unknown, check: (present: unknown) => boolean): boolean {
  return value === undefined || check(value);
}

/** Absent, null or passing `check` (`.nullish()`). */
export function nullish(value: unknown, check: (present: unknown) => boolean): boolean {
  return value === undefined || value === null || check(value);
}

/** A string. */
export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** A string of at least one character (`.min(1)`). */
export function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

/** A boolean. */
export function isBoolean(value: unknown): boolean {
  return typeof value === 'boolean';
}

/** An array of strings. */
export function isStrings(value: unknown): boolean {
  return everyItem(value, isString);
}

/** A finite number. */
export function isFiniteNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A safe integer of at least 1. */
export function isPositiveInt(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

/** A safe integer of at least 0. */
export function isNonNegativeInt(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** A number from 0 to 1 (top_p and the like). */
export function isUnitNumber(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

/** A number from 0 to 2 (temperature). */
export function isTemperature(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 2;
}
