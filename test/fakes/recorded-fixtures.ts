import { readFileSync } from 'node:fs';
import { objectAt } from './json-template.js';

const cache = new Map<string, string>();

/** Wire samples live once, beside the wire module of their format; the rest of the fakes' data is here. */
const WIRE_FIXTURE_DIRS: ReadonlyArray<readonly [prefix: string, dir: string]> = [
  ['openai-', '../../src/wire/openai-chat/__fixtures__/'],
  ['anthropic-', '../../src/wire/anthropic-messages/__fixtures__/'],
  ['gemini-', '../../src/wire/gemini/__fixtures__/'],
];

function fixtureUrl(name: string): URL {
  const dir = WIRE_FIXTURE_DIRS.find(([prefix]) => name.startsWith(prefix))?.[1] ?? './__fixtures__/';
  return new URL(`${dir}${name}`, import.meta.url);
}

/** The bytes of a recorded sample, read once per process. */
export function fixtureText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(fixtureUrl(name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** A recorded JSON sample, parsed fresh on every call so callers may not share mutations. */
export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}

/** The parsed `data:` payloads of a recorded SSE sample, in order (`[DONE]` skipped). */
export function fixtureSseData(name: string): unknown[] {
  return fixtureText(name)
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice('data: '.length)));
}

const REQUEST_ID_PLACEHOLDERS = new Set(['<X_REQUEST_ID>', '<REQUEST_ID>']);

/**
 * The response headers recorded with a sample (response-headers.json), with the recorder's request-id placeholder
 * replaced by `requestId`. `content-length` is dropped: the fake sets its own for the body it actually sends.
 */
export function recordedHeaders(sample: string, requestId: string): Record<string, string> {
  const recorded = objectAt(JSON.parse(fixtureText('response-headers.json')), sample, 'headers');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded)) {
    if (name === 'content-length' || typeof value !== 'string') continue;
    headers[name] = REQUEST_ID_PLACEHOLDERS.has(value) ? requestId : value;
  }
  return headers;
}
