import type { SecretSource } from '../../ports/secret-source.js';

export interface SecretCacheEvents {
  /** A value was read; `changed` when it differs from the one held (a rotation). */
  refreshed?(reference: string, changed: boolean): void;
  /** A read failed; the last good value (if any) stays in use. */
  failed?(reference: string, error: unknown): void;
}

export interface SecretCacheOptions {
  /** How often every reference is read again in the background; default 60 s. */
  refreshMs?: number;
  events?: SecretCacheEvents;
}

/**
 * Current values of secret references, read through the source for each scheme (`file`, `vault`, `aws-sm`) and
 * refreshed in the background, so a rotated key takes effect without a restart. A failed refresh keeps the last good
 * value. Concurrent refreshes of one reference share one read.
 */
export class SecretCache {
  private readonly held = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly references = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: ReadonlyMap<string, SecretSource>,
    private readonly options: SecretCacheOptions = {},
  ) {}

  /** Reads every reference once (failures are reported, not thrown) and starts the background refresh. */
  async start(references: Iterable<string>): Promise<void> {
    await this.track(references);
    this.timer = setInterval(() => void Promise.all([...this.references].map((reference) => this.refresh(reference))), this.options.refreshMs ?? 60_000);
    this.timer.unref();
  }

  /** Adds references (a reloaded config may name new ones) and reads those not held yet. */
  async track(references: Iterable<string>): Promise<void> {
    const fresh = [...references].filter((reference) => !this.references.has(reference));
    for (const reference of fresh) this.references.add(reference);
    await Promise.all(fresh.map((reference) => this.refresh(reference)));
  }

  /** Every value held (for scrubbing them from logs and records). */
  values(): string[] {
    return [...this.held.values()];
  }

  /** The value held for a reference, without waiting. */
  current(reference: string): string | undefined {
    return this.held.get(reference);
  }

  /** Reads a reference now; resolves to the value in use afterwards (the last good one when the read failed). */
  refresh(reference: string): Promise<string | undefined> {
    let pending = this.inFlight.get(reference);
    if (!pending) {
      pending = this.read(reference).finally(() => this.inFlight.delete(reference));
      this.inFlight.set(reference, pending);
    }
    return pending;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async read(reference: string): Promise<string | undefined> {
    const scheme = reference.slice(0, reference.indexOf('://'));
    const source = this.sources.get(scheme);
    try {
      if (!source) throw new Error(`${reference}: no secret source for ${scheme}:// (is VAULT_ADDR set?)`);
      const value = await source.read(reference);
      const changed = this.held.has(reference) && this.held.get(reference) !== value;
      this.held.set(reference, value);
      this.options.events?.refreshed?.(reference, changed);
      return value;
    } catch (error) {
      this.options.events?.failed?.(reference, error);
      return this.held.get(reference);
    }
  }
}
