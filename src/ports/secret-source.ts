/** Reads a secret's current value from where a reference points (a file, Vault, AWS Secrets Manager). */
export interface SecretSource {
  /** Fetches the value now; rejects with an error whose message names the reference but never a value. */
  read(reference: string): Promise<string>;
}
