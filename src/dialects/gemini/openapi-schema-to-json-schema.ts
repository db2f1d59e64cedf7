import { MAX_WALK_DEPTH, isRecord, type JsonSchema } from '../../core/index.js';

function convert(schema: unknown, depth: number): unknown {
  // Deeper than any real schema: left unconstrained rather than walked (the input is client-controlled).
  if (depth > MAX_WALK_DEPTH) return {};
  if (Array.isArray(schema)) return schema.map((item) => convert(item, depth + 1));
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, convert(property, depth + 1)]));
    } else if (key === 'items' || key === 'anyOf') out[key] = convert(value, depth + 1);
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  return out;
}

/**
 * Converts Gemini's OpenAPI-3.0 `Schema` (upper-case `type: "OBJECT"`, `nullable`) into JSON Schema, so other
 * providers accept it. Only schema positions are rewritten; property names, enums and examples are left alone.
 */
export function openApiSchemaToJsonSchema(schema: JsonSchema): JsonSchema {
  return convert(schema, 0) as JsonSchema;
}
