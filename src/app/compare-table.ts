import type { ComparisonLeg } from '../ports/comparison.js';

const OUTPUT_WIDTH = 60;

/** One line of output text, shortened to fit a table cell. */
function cell(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/** The legs of a comparison as a plain-text table: one row per model, columns aligned. */
export function formatCompareTable(legs: readonly ComparisonLeg[]): string {
  const header = ['model', 'provider', 'ttft ms', 'total ms', 'in', 'out', 'cost usd', 'output'];
  const rows = legs.map((leg) => [
    leg.model,
    leg.provider ?? '-',
    leg.ttft_ms === undefined ? '-' : leg.ttft_ms.toFixed(0),
    leg.latency_ms.toFixed(0),
    String(leg.usage?.input_tokens ?? '-'),
    String(leg.usage?.output_tokens ?? '-'),
    leg.cost_usd === undefined ? '-' : leg.cost_usd.toFixed(6),
    leg.error ? `error ${leg.error.code}: ${cell(leg.error.message, OUTPUT_WIDTH)}` : cell(leg.output ?? '', OUTPUT_WIDTH),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]): string => row.map((value, column) => value.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
