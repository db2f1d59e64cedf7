import { describe, expect, it } from 'vitest';
import type { ToolDefinition } from '../../core/index.js';
import { ToolTextCache } from './tool-texts.js';

// A fresh parse each time, as each request carries its own copy of the same tools.
const tools = (schema: string, description = 'Reads a file'): ToolDefinition[] => [
  { name: 'read', description, parameters: JSON.parse(schema) as Record<string, unknown> },
  { name: 'list', parameters: { type: 'object', properties: {} } },
];
const SCHEMA = '{"type":"object","properties":{"path":{"type":"string","enum":["a","b"]},"limit":{"type":"integer"}},"required":["path"]}';
const serialised = (list: ToolDefinition[]): string[] =>
  list.map((tool) => JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters }));

describe('ToolTextCache', () => {
  it('gives each tool its JSON text, and the same strings for an equal list parsed again', () => {
    const cache = new ToolTextCache();
    const first = cache.texts(tools(SCHEMA));
    expect(first).toEqual(serialised(tools(SCHEMA)));
    expect(cache.texts(tools(SCHEMA))).toBe(first);
  });

  it('tells apart lists that serialise differently: a nested value, key order, a description', () => {
    const cache = new ToolTextCache();
    cache.texts(tools(SCHEMA));
    for (const other of [
      tools(SCHEMA.replace('"b"', '"c"')),
      tools('{"properties":{"path":{"type":"string","enum":["a","b"]},"limit":{"type":"integer"}},"type":"object","required":["path"]}'),
      tools(SCHEMA, 'Reads a file.'),
      tools(SCHEMA.replace('["a","b"]', '{"0":"a","1":"b"}')),
      tools(SCHEMA).slice(0, 1),
    ]) {
      expect(cache.texts(other)).toEqual(serialised(other));
    }
  });

  it('remembers the last eight lists and forgets older ones', () => {
    const cache = new ToolTextCache();
    const lists = Array.from({ length: 9 }, (_, index) => tools(SCHEMA, `tool ${index}`));
    const texts = lists.map((list) => cache.texts(list));
    expect(cache.texts(tools(SCHEMA, 'tool 8'))).toBe(texts[8]);
    expect(cache.texts(tools(SCHEMA, 'tool 0'))).not.toBe(texts[0]);
  });

  it('does not hold a list larger than its bound', () => {
    const cache = new ToolTextCache();
    const huge = tools(SCHEMA, 'x'.repeat(300 * 1024));
    expect(cache.texts(huge)).not.toBe(cache.texts(tools(SCHEMA, 'x'.repeat(300 * 1024))));
  });
});
