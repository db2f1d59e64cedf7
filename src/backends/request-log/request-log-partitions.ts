/** One UTC day in epoch milliseconds: the width of a request log partition. */
export const DAY_MS = 86_400_000;

/** The tables partitioned by day: the record and its bodies. */
export type PartitionedTable = 'request_log' | 'request_bodies';

/** An existing partition of `request_log` (or `request_bodies`) and the `started_at` range it holds (lower inclusive, upper exclusive). */
export interface PartitionRange {
  name: string;
  lower: number;
  upper: number;
}

/** Start of the UTC day holding `epochMs`. */
export function dayStart(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

/** The partition name for the day starting at `start`: `request_log_p20261205` (`request_bodies_p20261205`). */
export function partitionName(start: number, table: PartitionedTable = 'request_log'): string {
  return `${table}_p${new Date(start).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Reads a range from `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM (MINVALUE) TO ('1767225600000')`. */
export function parsePartitionBound(name: string, bound: string): PartitionRange | undefined {
  const match = /FROM \((?:'?(-?\d+)'?|MINVALUE)\) TO \((?:'?(-?\d+)'?|MAXVALUE)\)/.exec(bound);
  if (!match) return undefined;
  return {
    name,
    lower: match[1] === undefined ? -Infinity : Number(match[1]),
    upper: match[2] === undefined ? Infinity : Number(match[2]),
  };
}

/** The day starts, among `days`, that no existing partition covers. */
export function uncoveredDays(days: Iterable<number>, partitions: readonly PartitionRange[]): number[] {
  return [...new Set(days)].filter((day) => !partitions.some((range) => range.lower <= day && day < range.upper)).sort((a, b) => a - b);
}
