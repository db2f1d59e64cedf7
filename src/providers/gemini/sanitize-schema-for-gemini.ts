import { MAX_WALK_DEPTH, type JsonSchema } from '../../core/index.js';

type SchemaObject = Record<string, unknown>;

/** Keywords the Gemini OpenAPI `Schema` accepts unchanged (js-genai `Schema`). */
const KEPT_KEYWORDS = [
  'description',
  'title',
  'format',
  'nullable',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'pattern',
  'default',
  'example',
  'propertyOrdering',
] as const;

const JSON_TYPES: Readonly<Record<string, string>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
  null: 'NULL',
};

function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Context {
  definitions: SchemaObject;
  /** Refs being expanded on the current path; a repeat means recursion, which the OpenAPI subset cannot express. */
  expanding: ReadonlySet<string>;
  depth: number;
  /** Nodes left to produce: `$ref`s that each use the next twice would otherwise expand exponentially. */
  budget: { nodes: number };
}

/** More schema nodes than any real tool declares; past it the rest is left unconstrained. */
const MAX_SCHEMA_NODES = 10_000;

function resolveRef(ref: string, context: Context): SchemaObject | undefined {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const name = (match[1] as string).replace(/~1/g, '/').replace(/~0/g, '~');
  const found = context.definitions[name];
  return isObject(found) ? found : undefined;
}

function convertType(type: unknown, out: SchemaObject, anyOf: SchemaObject[]): void {
  const types = (Array.isArray(type) ? type : [type]).filter((t): t is string => typeof t === 'string');
  const nonNull = types.filter((t) => t !== 'null');
  if (nonNull.length < types.length) out.nullable = true;
  if (nonNull.length === 1) out.type = JSON_TYPES[nonNull[0] as string] ?? 'STRING';
  else if (nonNull.length > 1) for (const t of nonNull) anyOf.push({ type: JSON_TYPES[t] ?? 'STRING' });
  else if (types.length > 0) out.type = 'NULL';
}

function convertVariants(variants: unknown[], out: SchemaObject, anyOf: SchemaObject[], context: Context): void {
  for (const variant of variants) {
    if (isObject(variant) && variant.type === 'null' && Object.keys(variant).length === 1) out.nullable = true;
    else anyOf.push(convertNode(variant, context));
  }
}

function convertNode(node: unknown, parent: Context): SchemaObject {
  if (!isObject(node) || parent.depth >= MAX_WALK_DEPTH || parent.budget.nodes <= 0) return {};
  parent.budget.nodes -= 1;
  const context: Context = { ...parent, depth: parent.depth + 1 };
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const target = context.expanding.has(ref) ? undefined : resolveRef(ref, context);
    if (target === undefined) return typeof node.description === 'string' ? { description: node.description } : {};
    const { $ref: _ref, ...siblings } = node;
    return convertNode({ ...target, ...siblings }, { ...context, expanding: new Set([...context.expanding, ref]) });
  }

  const out: SchemaObject = {};
  const anyOf: SchemaObject[] = [];
  convertType(node.type, out, anyOf);
  for (const keyword of KEPT_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (Array.isArray(node.enum)) out.enum = node.enum.filter((v) => v !== null).map(String);
  if (node.const !== undefined && node.const !== null) out.enum = [String(node.const)];
  if (out.enum !== undefined && out.type === undefined) out.type = 'STRING';
  if (out.example === undefined && Array.isArray(node.examples) && node.examples.length > 0) out.example = node.examples[0];

  if (isObject(node.properties)) {
    const properties: SchemaObject = {};
    for (const [name, value] of Object.entries(node.properties)) properties[name] = convertNode(value, context);
    out.properties = properties;
  }
  if (Array.isArray(node.required)) out.required = node.required.filter((r) => typeof r === 'string');
  if (isObject(node.items)) out.items = convertNode(node.items, context);
  else if (Array.isArray(node.prefixItems) && node.prefixItems.length > 0) out.items = convertNode(node.prefixItems[0], context);

  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = node[key];
    if (Array.isArray(variants)) convertVariants(variants, out, anyOf, context);
  }
  if (Array.isArray(node.allOf)) mergeAllOf(node.allOf.map((part) => convertNode(part, context)), out);

  if (anyOf.length === 1 && out.type === undefined) Object.assign(out, anyOf[0]);
  else if (anyOf.length > 0) out.anyOf = anyOf;
  return out;
}

/** allOf is an intersection; the OpenAPI subset has none, so the parts' fields and properties are merged. */
function mergeAllOf(parts: SchemaObject[], out: SchemaObject): void {
  for (const part of parts) {
    const { properties, required, ...rest } = part;
    for (const [key, value] of Object.entries(rest)) if (out[key] === undefined) out[key] = value;
    if (isObject(properties)) out.properties = { ...(isObject(out.properties) ? out.properties : {}), ...properties };
    if (Array.isArray(required)) {
      const merged = new Set([...(Array.isArray(out.required) ? out.required : []), ...required]);
      out.required = [...merged];
    }
  }
}

/**
 * Converts a JSON Schema into Gemini's OpenAPI-3.0 `Schema` subset (for `parameters` / `responseSchema`): drops
 * `$schema`, `additionalProperties` and every other unsupported keyword, inlines resolvable `$ref`s from `$defs` /
 * `definitions` (recursive ones become an unconstrained schema), upper-cases types and turns `null` types into
 * `nullable`. Pure; the input is not modified.
 */
export function sanitizeSchemaForGemini(schema: JsonSchema): Record<string, unknown> {
  const definitions: SchemaObject = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  return convertNode(schema, { definitions, expanding: new Set(), depth: 0, budget: { nodes: MAX_SCHEMA_NODES } });
}
