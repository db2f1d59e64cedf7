const parsedBases = new Map<string, { origin: string; basePath: string }>();

/** Joins a request path onto a provider base URL and splits the result into origin (the pool) and request path. */
export function locateUpstream(baseUrl: string, path: string): { origin: string; path: string } {
  let base = parsedBases.get(baseUrl);
  if (!base) {
    const url = new URL(baseUrl);
    base = { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
    parsedBases.set(baseUrl, base);
  }
  return { origin: base.origin, path: base.basePath + path };
}
