import type { HeaderMap } from '../core/index.js';

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** Whitespace as `\s` matches it, for the characters a header value can hold (Latin-1). */
function isSpace(code: number): boolean {
  return code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0xa0;
}

const BEARER = 'bearer';

/**
 * The token of `Bearer <token>` (scheme in any case, spaces around the token), else undefined. Read by hand: a
 * regular expression was a measurable part of a governed request's key check.
 */
function bearerToken(authorization: string): string | undefined {
  if (authorization.length <= BEARER.length) return undefined;
  for (let i = 0; i < BEARER.length; i++) if ((authorization.charCodeAt(i) | 0x20) !== BEARER.charCodeAt(i)) return undefined;
  let start = BEARER.length;
  if (!isSpace(authorization.charCodeAt(start))) return undefined;
  while (start < authorization.length && isSpace(authorization.charCodeAt(start))) start++;
  let end = start;
  while (end < authorization.length && !isSpace(authorization.charCodeAt(end))) end++;
  if (end === start) return undefined;
  for (let rest = end; rest < authorization.length; rest++) if (!isSpace(authorization.charCodeAt(rest))) return undefined;
  return authorization.slice(start, end);
}

/**
 * The key a client presented, in whichever place its SDK puts it: `Authorization: Bearer` (OpenAI), `x-api-key`
 * (Anthropic), `x-goog-api-key` or `?key=` (Gemini).
 */
export function presentedKey(headers: HeaderMap, url: string): string | undefined {
  const authorization = single(headers.authorization);
  if (authorization !== undefined) {
    const token = bearerToken(authorization);
    if (token !== undefined) return token;
  }
  const header = single(headers['x-api-key']) ?? single(headers['x-goog-api-key']);
  if (header !== undefined) return header.trim();
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get('key') ?? undefined;
}
