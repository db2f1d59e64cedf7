import { isRecord, type JsonSchema } from '../../core/index.js';

function convert(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convert);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, convert(property)]));
    } else if (key === 'items' || key === 'anyOf') out[key] = convert(value);
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
  return convert(schema) as JsonSchema;
}
