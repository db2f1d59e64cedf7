/** Number formats shared by every page. */

export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function usd(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(6)}` : `$${value.toFixed(4)}`;
}

export function percent(value: number | undefined | null): string {
  if (value === undefined || value === null) return '–';
  return `${(value * 100).toFixed(value > 0 && value < 0.1 ? 1 : 0)} %`;
}

export function count(value: number | undefined): string {
  if (value === undefined) return '–';
  return value >= 1_000_000 ? `${(value / 1_000_000).toFixed(1)} M` : value >= 10_000 ? `${(value / 1000).toFixed(1)} k` : String(Math.round(value));
}

export function time(epochMs: number): string {
  return new Date(epochMs).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function clock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
