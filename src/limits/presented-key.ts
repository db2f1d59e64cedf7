import type { HeaderMap } from '../core/index.js';

function single(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/**
 * The key a client presented, in whichever place its SDK puts it: `Authorization: Bearer` (OpenAI), `x-api-key`
 * (Anthropic), `x-goog-api-key` or `?key=` (Gemini).
 */
export function presentedKey(headers: HeaderMap, url: string): string | undefined {
  const authorization = single(headers.authorization);
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1]) return match[1];
  }
  const header = single(headers['x-api-key']) ?? single(headers['x-goog-api-key']);
  if (header !== undefined) return header.trim();
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get('key') ?? undefined;
}
