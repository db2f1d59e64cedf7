import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecretSource } from '../../ports/secret-source.js';

/** `file:///abs/path` or `file://./relative/path`: the file's contents, trailing newline trimmed (Docker/K8s secrets). */
export class FileSecretSource implements SecretSource {
  constructor(private readonly cwd: string = process.cwd()) {}

  async read(reference: string): Promise<string> {
    const path = resolve(this.cwd, reference.slice('file://'.length));
    try {
      return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      throw new Error(`cannot read ${reference}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
}
