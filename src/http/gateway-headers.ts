import { boundText, type AttemptRecord, type Warning, type Target } from '../core/index.js';
import type { HeaderList } from './direct-reply.js';

/** Header values must be single-line Latin-1: strip anything else so a warning can never break the response. */
function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, ' ');
}

/** Renders warnings as `code(param); code(param)` for `x-switchyard-warnings`. */
function formatWarningsHeader(warnings: Warning[]): string {
  return headerSafe(warnings.map((w) => (w.param ? `${w.code}(${w.param})` : w.code)).join('; '));
}

/** Appends the `x-switchyard-*` headers of a response an upstream (or the response cache) served to a flat header list. */
export function pushServedHeaders(
  list: HeaderList,
  target: Target,
  attempts: AttemptRecord[],
  overheadMs: number,
  warnings: Warning[],
  cache?: 'hit' | 'miss',
): void {
  list.push(
    'x-switchyard-provider',
    target.provider.id,
    // A client-chosen `provider/<name>` can be any length; a header that size breaks the client's HTTP parser.
    'x-switchyard-model',
    headerSafe(boundText(target.model, 256)),
    'x-switchyard-attempts',
    String(attempts.length),
    'x-switchyard-overhead-ms',
    overheadMs.toFixed(2),
  );
  if (cache) list.push('x-switchyard-cache', cache);
  if (warnings.length > 0) list.push('x-switchyard-warnings', formatWarningsHeader(warnings));
}
