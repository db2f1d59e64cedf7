import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isRecord } from '../../core/index.js';
import type { SecretSource } from '../../ports/secret-source.js';
import { splitSecretReference } from './split-secret-reference.js';

/**
 * `aws-sm://<secret id>#<field>`: AWS Secrets Manager through the official SDK v3 client and its standard credential
 * chain and region; the endpoint is overridable (AWS_ENDPOINT_URL_SECRETS_MANAGER, read by the SDK itself). Without
 * a field the whole SecretString is the value; with one, the SecretString is JSON and the field is read from it.
 */
export class AwsSecretSource implements SecretSource {
  private client: SecretsManagerClient | undefined;

  async read(reference: string): Promise<string> {
    const { path, field } = splitSecretReference(reference, 'aws-sm');
    if (path === '') throw new Error(`${reference}: expected aws-sm://<secret id>#<field>`);
    // Loaded on first use: gateways without aws-sm:// references never load the AWS SDK.
    const sdk = await import('@aws-sdk/client-secrets-manager');
    this.client ??= new sdk.SecretsManagerClient({});
    let text: string | undefined;
    try {
      text = (await this.client.send(new sdk.GetSecretValueCommand({ SecretId: path }))).SecretString;
    } catch (error) {
      throw new Error(`${reference}: Secrets Manager refused (${(error as { name?: string }).name ?? 'error'})`);
    }
    if (text === undefined) throw new Error(`${reference}: the secret has no SecretString`);
    if (field === undefined) return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${reference}: the SecretString is not JSON, so it has no field ${field}`);
    }
    const value = isRecord(parsed) ? parsed[field] : undefined;
    if (typeof value !== 'string' || value === '') throw new Error(`${reference}: field ${field} is missing or not a string`);
    return value;
  }
}
