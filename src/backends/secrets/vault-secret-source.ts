import { isRecord } from '../../core/index.js';
import type { SecretSource } from '../../ports/secret-source.js';
import { splitSecretReference } from './split-secret-reference.js';

/** Vault's address, namespace and credentials: a token, or an AppRole to log in with. */
export interface VaultSettings {
  address: string;
  namespace?: string;
  token?: string;
  roleId?: string;
  secretId?: string;
}

/** Vault settings from the standard variables: VAULT_ADDR, VAULT_NAMESPACE, VAULT_TOKEN or VAULT_ROLE_ID + VAULT_SECRET_ID. */
export function vaultSettingsFrom(env: Record<string, string | undefined>): VaultSettings | undefined {
  const address = env.VAULT_ADDR;
  if (!address) return undefined;
  const settings: VaultSettings = { address: address.replace(/\/+$/, '') };
  if (env.VAULT_NAMESPACE) settings.namespace = env.VAULT_NAMESPACE;
  if (env.VAULT_TOKEN) settings.token = env.VAULT_TOKEN;
  if (env.VAULT_ROLE_ID) settings.roleId = env.VAULT_ROLE_ID;
  if (env.VAULT_SECRET_ID) settings.secretId = env.VAULT_SECRET_ID;
  return settings;
}

/**
 * `vault://<mount>/<path>#<field>`: HashiCorp Vault KV version 2 (`GET /v1/<mount>/data/<path>`, the field read from
 * `data.data`). Authenticates with a token, or logs in with AppRole and logs in again when the token is refused.
 */
export class VaultSecretSource implements SecretSource {
  private token: string | undefined;

  constructor(private readonly settings: VaultSettings) {
    this.token = settings.token;
  }

  async read(reference: string): Promise<string> {
    const { path, field } = splitSecretReference(reference, 'vault');
    const slash = path.indexOf('/');
    if (slash <= 0 || field === undefined || field === '') throw new Error(`${reference}: expected vault://<mount>/<path>#<field>`);
    const url = `${this.settings.address}/v1/${path.slice(0, slash)}/data/${path.slice(slash + 1)}`;
    let response = await this.get(url, await this.currentToken(reference));
    if (response.status === 403 && this.settings.roleId !== undefined) {
      this.token = undefined;
      response = await this.get(url, await this.currentToken(reference));
    }
    if (!response.ok) throw new Error(`${reference}: Vault answered HTTP ${response.status}`);
    const body: unknown = await response.json();
    const data = isRecord(body) && isRecord(body.data) && isRecord(body.data.data) ? body.data.data : undefined;
    const value = data?.[field];
    if (typeof value !== 'string' || value === '') throw new Error(`${reference}: field ${field} is missing or not a string`);
    return value;
  }

  private get(url: string, token: string): Promise<Response> {
    return fetch(url, { headers: this.headers(token), signal: AbortSignal.timeout(10_000) });
  }

  private headers(token: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['x-vault-token'] = token;
    if (this.settings.namespace !== undefined) headers['x-vault-namespace'] = this.settings.namespace;
    return headers;
  }

  private async currentToken(reference: string): Promise<string> {
    if (this.token !== undefined) return this.token;
    const { roleId, secretId } = this.settings;
    if (roleId === undefined || secretId === undefined) throw new Error(`${reference}: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID`);
    const response = await fetch(`${this.settings.address}/v1/auth/approle/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers(undefined) },
      body: JSON.stringify({ role_id: roleId, secret_id: secretId }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`${reference}: Vault AppRole login answered HTTP ${response.status}`);
    const body: unknown = await response.json();
    const token = isRecord(body) && isRecord(body.auth) ? body.auth.client_token : undefined;
    if (typeof token !== 'string') throw new Error(`${reference}: Vault AppRole login returned no client_token`);
    this.token = token;
    return token;
  }
}
