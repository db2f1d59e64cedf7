/** A JSON object read from a recorded fixture or built from one. */
export type JsonObject = { [key: string]: unknown };

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object found by walking `path` into `root`; throws when a recorded fixture lacks the expected shape. */
export function objectAt(root: unknown, ...path: Array<string | number>): JsonObject {
  let current: unknown = root;
  for (const step of path) {
    if (typeof step === 'number') {
      current = Array.isArray(current) ? current[step] : undefined;
    } else {
      current = isJsonObject(current) ? current[step] : undefined;
    }
  }
  if (!isJsonObject(current)) throw new Error(`fixture has no object at ${path.join('.')}`);
  return current;
}

/**
 * A copy of `template` with `values` substituted, keeping the template's key order (so output stays byte-faithful
 * to the recording); new keys are appended and keys set to undefined are dropped.
 */
export function substitute(template: JsonObject, values: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    const next = key in values ? values[key] : value;
    if (next !== undefined) result[key] = next;
  }
  for (const [key, value] of Object.entries(values)) {
    if (!(key in template) && value !== undefined) result[key] = value;
  }
  return result;
}
