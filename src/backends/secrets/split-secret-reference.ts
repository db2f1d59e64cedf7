/** A `scheme://path#field` reference split into its path and optional field. */
export function splitSecretReference(reference: string, scheme: string): { path: string; field?: string } {
  const rest = reference.slice(`${scheme}://`.length);
  const hash = rest.indexOf('#');
  if (hash === -1) return { path: rest };
  return { path: rest.slice(0, hash), field: rest.slice(hash + 1) };
}
