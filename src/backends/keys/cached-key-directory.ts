import { createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KeyStore } from '../../ports/key-store.js';
import { SHOWN_PREFIX_LENGTH, type KeyDirectory, type ResolvedKey, type VirtualKey } from '../../ports/virtual-key.js';
import { compileModelGlobs } from '../../limits/model-glob.js';
import { hashKeySecretBytes } from './hash-key-secret.js';

export interface CachedKeyDirectoryOptions {
  /** How often changes (new, revoked, rotated keys) are read from the store; default 500 ms. */
  pollMs?: number;
  /** A failed poll; the directory keeps answering from what it holds. */
  onError?: (error: unknown) => void;
}

/** A secret already matched, and where a secret presented with its prefix is written to be compared with it. */
interface MatchedSecret {
  secret: Buffer;
  /**
   * Written with each presented secret of the same length: a `Buffer.from` per request made a buffer object (and
   * sliced the pool) for every governed call. Used synchronously, so one per entry is enough.
   */
  presented: Buffer;
  resolved: ResolvedKey;
}

/**
 * Every virtual key in memory, keyed by its secret's HMAC, so a request never waits on the store. Changes made by
 * any process sharing the database (the CLI, another replica) are picked up by polling `updated_at`, so a revoked key
 * stops within one poll interval; changes made through this process apply at once.
 */
export class CachedKeyDirectory implements KeyDirectory {
  private readonly byHash = new Map<string, ResolvedKey>();
  private readonly byId = new Map<string, ResolvedKey>();
  /** Each held key's hash as bytes, for the constant-time comparison without decoding hex per request. */
  private readonly hashBytes = new WeakMap<ResolvedKey, Buffer>();
  /**
   * Secrets already matched, by their shown prefix (not secret: every key listing shows it), so a key in use is
   * checked by a constant-time comparison of the secret instead of an HMAC per request (the HMAC was about 3 µs, the
   * largest part of a governed request's key check). At most one entry per key held; any key change empties it.
   */
  private readonly matched = new Map<string, MatchedSecret>();
  private secret: KeyObject | undefined;
  private newest = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly store: KeyStore,
    private readonly options: CachedKeyDirectoryOptions = {},
  ) {}

  /** Loads every key and starts polling for changes. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 500);
    this.timer.unref();
  }

  /** Reads keys changed since the newest one held; safe to call at any time. */
  async refresh(): Promise<void> {
    this.secret ??= createSecretKey(await this.store.hashSecret());
    for (const key of await this.store.keysChangedSince(this.newest)) this.apply(key);
  }

  find(secret: string): ResolvedKey | undefined {
    if (!this.secret) return undefined;
    const prefix = secret.slice(0, SHOWN_PREFIX_LENGTH);
    const seen = this.matched.get(prefix);
    if (seen) {
      const length = seen.secret.length;
      // The map is keyed by the public prefix, so its lookup time says nothing about the secret; this decides.
      if (Buffer.byteLength(secret) === length) {
        seen.presented.write(secret);
        if (timingSafeEqual(seen.presented, seen.secret)) return seen.resolved;
      }
    }
    const digest = hashKeySecretBytes(this.secret, secret);
    const found = this.byHash.get(digest.toString('hex'));
    const expected = found && this.hashBytes.get(found);
    // The map finds the entry; the constant-time comparison is what decides, so timing says nothing about the secret.
    if (!found || !expected || expected.length !== digest.length || !timingSafeEqual(expected, digest)) return undefined;
    const bytes = Buffer.from(secret);
    this.matched.set(prefix, { secret: bytes, presented: Buffer.alloc(bytes.length), resolved: found });
    return found;
  }

  /** The key with an id, for budgets and the admin view. */
  byKeyId(id: string): ResolvedKey | undefined {
    return this.byId.get(id);
  }

  /** Every key held. */
  all(): IterableIterator<ResolvedKey> {
    return this.byId.values();
  }

  /** Puts a changed key in place at once (a rotation drops the old hash, so the old secret stops immediately). */
  apply(key: VirtualKey): void {
    const previous = this.byId.get(key.id);
    // Every poll reads the newest key again; held as it is, its matched secret stays matched (no HMAC after each poll).
    if (previous && isDeepStrictEqual(previous.key, key)) return;
    this.matched.clear();
    if (previous) this.byHash.delete(previous.key.hash);
    const resolved: ResolvedKey = { key, models: compileModelGlobs(key.models) };
    this.hashBytes.set(resolved, Buffer.from(key.hash, 'hex'));
    this.byId.set(key.id, resolved);
    this.byHash.set(key.hash, resolved);
    this.newest = Math.max(this.newest, key.updatedAt);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.refresh();
    } catch (error) {
      this.options.onError?.(error);
    } finally {
      this.polling = false;
    }
  }
}
