const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Reports a `${VAR}` that is unset and has no default, with the path of the string that used it. */
export interface MissingVariable {
  path: string;
  variable: string;
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed YAML/JSON tree. An unset (or empty) variable
 * without a default is reported and left as written: silently using "" would turn `https://${HOST}/v1` into a URL
 * whose host is `v1`, and a provider key would be sent there. `${VAR:-}` opts into an empty value.
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  missing: MissingVariable[] = [],
  path = '',
): unknown {
  if (typeof value === 'string') {
    return value.replace(VARIABLE, (match: string, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      missing.push({ path, variable: name });
      return match;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => interpolateEnv(item, env, missing, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolateEnv(item, env, missing, path === '' ? key : `${path}.${key}`);
    }
    return out;
  }
  return value;
}
