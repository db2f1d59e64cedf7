/** How to reach one provider type: where it lives, where its key conventionally comes from, how the key is sent. */
export interface ProviderTransport {
  /** Official base URL (each official SDK's default); for a type with `baseUrlRequired`, only an example. */
  baseUrl: string;
  /** The config must name `base_url` (local servers have no official address). */
  baseUrlRequired?: boolean;
  /** Environment variable conventionally holding the key; the built-in default config reads it. */
  apiKeyEnv?: string;
  /** The header carrying the key, and the scheme written before it (`Bearer`). */
  auth?: { header: string; scheme?: 'Bearer' };
  /** The upstream refuses requests without a key. */
  keyRequired: boolean;
}

/** The auth header for a key under a transport; nothing when there is no key (local servers often run without). */
export function authHeaders(transport: ProviderTransport, apiKey: string | undefined): Record<string, string> {
  if (transport.auth === undefined || apiKey === undefined || apiKey === '') return {};
  const { header, scheme } = transport.auth;
  return { [header]: scheme === undefined ? apiKey : `${scheme} ${apiKey}` };
}
