import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

describe('sanitizeSchemaForGemini', () => {
  it('turns an OpenAI strict tool schema into the OpenAPI parameters Gemini accepted in the recording', () => {
    const canonical = fixture('gemini-canonical-tool-roundtrip.json') as { tools: Array<{ parameters: Record<string, unknown> }> };
    const recorded = fixture('gemini-request-tool-roundtrip.json') as {
      tools: Array<{ functionDeclarations: Array<{ parameters: unknown }> }>;
    };
    const declarations = recorded.tools[0]?.functionDeclarations ?? [];
    canonical.tools.forEach((tool, i) => {
      expect(sanitizeSchemaForGemini(tool.parameters)).toEqual(declarations[i]?.parameters);
    });
  });

  it('strips $schema and additionalProperties and inlines $defs references', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      additionalProperties: false,
      properties: { home: { $ref: '#/$defs/Address', description: 'Home address' }, work: { $ref: '#/definitions/Address' } },
      $defs: { Address: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
      definitions: { Address: { type: 'object', properties: { street: { type: 'string' } } } },
    };
    expect(sanitizeSchemaForGemini(schema)).toEqual({
      type: 'OBJECT',
      properties: {
        home: { type: 'OBJECT', description: 'Home address', properties: { city: { type: 'STRING' } }, required: ['city'] },
        work: { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] },
      },
    });
  });

  it('expresses null unions as nullable and other unions with anyOf', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        c: { oneOf: [{ type: 'string' }, { type: 'number' }] },
        d: { const: 'fixed' },
        e: { type: 'array', items: { type: 'string', enum: ['x', 'y'] }, minItems: 1 },
      },
    };
    expect(sanitizeSchemaForGemini(schema)).toEqual({
      type: 'OBJECT',
      properties: {
        a: { type: 'STRING', nullable: true },
        b: { type: 'INTEGER', nullable: true },
        c: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] },
        d: { type: 'STRING', enum: ['fixed'] },
        e: { type: 'ARRAY', items: { type: 'STRING', enum: ['x', 'y'] }, minItems: 1 },
      },
    });
  });

  it('stops at recursive references instead of looping', () => {
    const schema = {
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
    };
    expect(sanitizeSchemaForGemini(schema)).toEqual({
      type: 'OBJECT',
      properties: { root: { type: 'OBJECT', properties: { child: {} } } },
    });
  });

  it('merges allOf parts and leaves the input untouched', () => {
    const schema = { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'boolean' } } }] };
    const copy = structuredClone(schema);
    expect(sanitizeSchemaForGemini(schema)).toEqual({
      type: 'OBJECT',
      properties: { a: { type: 'STRING' }, b: { type: 'BOOLEAN' } },
      required: ['a'],
    });
    expect(schema).toEqual(copy);
  });
});

describe('sanitizeSchemaForGemini on hostile schemas', () => {
  it('stops at a depth bound instead of overflowing the stack on a 50k-deep schema', () => {
    const deep = JSON.parse(`${'{"type":"object","properties":{"x":'.repeat(50_000)}{"type":"string"}${'}}'.repeat(50_000)}`) as Record<string, unknown>;
    expect(() => sanitizeSchemaForGemini(deep)).not.toThrow();
  });

  it('bounds the nodes a chain of doubling $refs expands into', () => {
    const $defs: Record<string, unknown> = { d0: { type: 'string' } };
    for (let level = 1; level <= 40; level += 1) {
      const ref = { $ref: `#/$defs/d${level - 1}` };
      $defs[`d${level}`] = { type: 'object', properties: { a: ref, b: ref } };
    }
    const converted = sanitizeSchemaForGemini({ $defs, $ref: '#/$defs/d40' });
    expect(JSON.stringify(converted).length).toBeLessThan(2_000_000);
  });
});
