import { boundText, type AttemptRecord, type Warning, type Target } from '../core/index.js';

/** Header values must be single-line Latin-1: strip anything else so a warning can never break the response. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, ' ');
}

/** Renders warnings as `code(param); code(param)` for `x-switchyard-warnings`. */
function formatWarningsHeader(warnings: Warning[]): string {
  return headerSafe(warnings.map((w) => (w.param ? `${w.code}(${w.param})` : w.code)).join('; '));
}

/** The `x-switchyard-*` headers of a response an upstream (or the response cache) served. */
export function servedHeaders(
  target: Target,
  attempts: AttemptRecord[],
  overheadMs: number,
  warnings: Warning[],
  cache?: 'hit' | 'miss',
): Record<string, string> {
  const headers: Record<string, string> = {
    'x-switchyard-provider': target.provider.id,
    // A client-chosen `provider/<name>` can be any length; a header that size breaks the client's HTTP parser.
    'x-switchyard-model': headerSafe(boundText(target.model, 256)),
    'x-switchyard-attempts': String(attempts.length),
    'x-switchyard-overhead-ms': overheadMs.toFixed(2),
  };
  if (cache) headers['x-switchyard-cache'] = cache;
  if (warnings.length > 0) headers['x-switchyard-warnings'] = formatWarningsHeader(warnings);
  return headers;
}
