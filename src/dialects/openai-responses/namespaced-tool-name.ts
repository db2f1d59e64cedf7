/**
 * The flat tool name a namespace's function gets upstream (`crm__lookup`), since no other format has tool
 * namespaces; `__` keeps it within every provider's tool-name alphabet.
 */
export function namespacedToolName(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}__${name}`;
}
