import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../../core/index.js';
import type { SetOptions, StateChangeListener, StateHealth, StateStore } from '../../ports/state-store.js';
import { MemoryStateStore } from './memory-state-store.js';

/** How a Redis-backed state store connects and how often it merges. */
export interface RedisStateOptions {
  url: string;
  /** Prepended to every Redis key and the channel, so deployments (and tests) sharing a server stay apart. */
  prefix: string;
  /** How often local writes are merged into Redis and sent to the other replicas. */
  syncIntervalMs: number;
  /** How often every shared entry is read back, catching messages missed while disconnected. */
  resyncIntervalMs: number;
  clock: Clock;
  /** Told when Redis becomes unreachable (`degraded`, with the error) and when it is back (`shared`). */
  onHealthChange?: (health: StateHealth, error?: Error) => void;
}

/** One entry as stored in Redis; its expiry is the Redis key's own TTL. */
interface Envelope {
  v: unknown;
}

/**
 * A batch of writes published by one replica: key, value and the ms it has left. Expiry travels as a duration, never
 * as a time: each process's clock (monotonic, from its own start) means nothing to another.
 */
interface ChangeMessage {
  o: string;
  w: Array<[string, unknown, number | null]>;
}

function isChangeMessage(value: unknown): value is ChangeMessage {
  return typeof value === 'object' && value !== null && typeof (value as ChangeMessage).o === 'string' && Array.isArray((value as ChangeMessage).w);
}

/**
 * StateStore shared through Redis. Every replica keeps the whole state in a local copy that reads answer from, so the
 * request path never waits on Redis. Writes are queued and merged into Redis on a short interval in one MULTI (the
 * SETs and one PUBLISH together); a broadcast write flushes at once. Claims are `SET NX PX`, atomic across replicas.
 * While Redis is unreachable the store serves and writes locally (reported by `health()`); when it returns, the local
 * entries are written back where Redis lost them, queued writes are flushed and everything is read back.
 */
export class RedisStateStore implements StateStore {
  private readonly local: MemoryStateStore;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  /** This replica's id, unique per process start (other backends key per-replica entries by it). */
  readonly replicaId = randomUUID();
  private readonly watchers = new Set<{ prefix: string; listener: StateChangeListener }>();
  private readonly pending = new Map<string, { value: unknown; expiresAt: number | undefined }>();
  private readonly channel: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private healthy = false;
  private reported: StateHealth | undefined;
  private syncing: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: RedisStateOptions) {
    this.local = new MemoryStateStore(options.clock);
    this.channel = `${options.prefix}changes`;
    const connection = {
      // Commands fail at once while disconnected instead of queueing: the caller falls back to local state.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // A command in flight when the connection drops may otherwise never settle (a MULTI cut mid-way did), and every
      // later flush would queue behind it for good.
      commandTimeout: 2000,
      retryStrategy: (times: number) => Math.min(100 * times, 1000),
      lazyConnect: true,
    };
    this.client = new Redis(options.url, connection);
    this.subscriber = new Redis(options.url, connection);
    this.client.on('ready', () => {
      this.syncing = this.onConnected();
    });
    this.client.on('error', (error: Error) => this.markDegraded(error));
    this.client.on('close', () => this.markDegraded(new Error('connection to Redis closed')));
    this.subscriber.on('error', () => undefined);
    // Messages published while the subscriber was away are lost; reading everything back once it listens again
    // catches them (whichever comes first, the publish or this read, one of them carries the change).
    this.subscriber.on('ready', () => {
      void this.subscriber.subscribe(this.channel).then(
        () => this.pull(),
        () => undefined,
      );
    });
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel === this.channel) this.applyMessage(text);
    });
  }

  /** Connects and loads the shared state; resolves within the connect timeout even when Redis is down (degraded). */
  async open(): Promise<void> {
    await Promise.allSettled([this.client.connect(), this.subscriber.connect()]);
    if (this.subscriber.status === 'ready') await this.subscriber.subscribe(this.channel).catch(() => undefined);
    if (this.client.status === 'ready') await this.syncing;
    else this.markDegraded(new Error(`Redis at ${redactUrl(this.options.url)} is not reachable`));
    this.timers.push(setInterval(() => void this.flush(), this.options.syncIntervalMs));
    this.timers.push(setInterval(() => void this.pull(), this.options.resyncIntervalMs));
    for (const timer of this.timers) timer.unref();
  }

  get<T>(key: string): T | undefined {
    return this.local.read<T>(key);
  }

  set<T>(key: string, value: T, options: SetOptions = {}): void {
    const expiresAt = options.ttlMs === undefined ? undefined : this.options.clock.now() + options.ttlMs;
    this.local.write(key, value, expiresAt);
    this.pending.set(key, { value, expiresAt });
    if (options.broadcast) void this.flush();
  }

  entries<T>(prefix: string): Promise<Array<[string, T]>> {
    return this.local.entries<T>(prefix);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (!this.healthy) return this.local.claim(key, ttlMs);
    try {
      const taken = await this.client.set(`${this.options.prefix}c:${key}`, '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
      return taken === 'OK';
    } catch (error) {
      this.markDegraded(asError(error));
      return this.local.claim(key, ttlMs);
    }
  }

  /** Also replays, at once, every entry under `prefix` already held (what the replica loaded when it started). */
  watch(prefix: string, listener: StateChangeListener): () => void {
    const watcher = { prefix, listener };
    this.watchers.add(watcher);
    const now = this.options.clock.now();
    for (const [key, value] of this.local.liveEntries(prefix)) {
      const expiresAt = this.local.expiryOf(key);
      try {
        listener(key, value, expiresAt === undefined ? undefined : expiresAt - now);
      } catch {
        // As for live changes: a watcher's failure is its own.
      }
    }
    return () => void this.watchers.delete(watcher);
  }

  health(): StateHealth {
    return this.healthy ? 'shared' : 'degraded';
  }

  /** The command connection, for the other Redis-backed backends (limits, budgets, cache) sharing its lifecycle. */
  get commands(): Redis {
    return this.client;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const timer of this.timers) clearInterval(timer);
    await this.flush();
    this.closed = true;
    this.client.disconnect();
    this.subscriber.disconnect();
    await this.local.close();
  }

  /** Writes queued entries and publishes them, in one MULTI; on failure they stay queued for the next try. */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => this.flush());
    if (this.pending.size === 0 || this.closed || this.client.status !== 'ready') return Promise.resolve();
    const batch = [...this.pending];
    this.pending.clear();
    this.flushing = this.writeBatch(batch)
      .catch((error: unknown) => {
        for (const [key, entry] of batch) if (!this.pending.has(key)) this.pending.set(key, entry);
        this.markDegraded(asError(error));
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async writeBatch(batch: Array<[string, { value: unknown; expiresAt: number | undefined }]>): Promise<void> {
    const now = this.options.clock.now();
    const multi = this.client.multi();
    const message: ChangeMessage = { o: this.replicaId, w: [] };
    for (const [key, { value, expiresAt }] of batch) {
      const envelope = JSON.stringify({ v: value } satisfies Envelope);
      if (expiresAt === undefined) multi.set(this.redisKey(key), envelope);
      else if (expiresAt > now) multi.set(this.redisKey(key), envelope, 'PX', Math.ceil(expiresAt - now));
      else continue;
      message.w.push([key, value, expiresAt === undefined ? null : Math.ceil(expiresAt - now)]);
    }
    multi.publish(this.channel, JSON.stringify(message));
    await multi.exec();
  }

  /** Reads every shared entry back into the local copy; entries with local writes still queued keep the local value. */
  private async pull(): Promise<void> {
    if (this.closed || this.client.status !== 'ready') return;
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, found] = await this.client.scan(cursor, 'MATCH', `${this.options.prefix}s:*`, 'COUNT', 500);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
      for (let i = 0; i < keys.length; i += 500) {
        const chunk = keys.slice(i, i + 500);
        const pipeline = this.client.pipeline().mget(chunk);
        for (const redisKey of chunk) pipeline.pttl(redisKey);
        const [values, ...ttls] = (await pipeline.exec()) ?? [];
        chunk.forEach((redisKey, index) => {
          const key = redisKey.slice(`${this.options.prefix}s:`.length);
          const text = (values?.[1] as Array<string | null> | undefined)?.[index];
          const ttl = ttls[index]?.[1];
          // PTTL: -1 no expiry, -2 gone since the MGET.
          if (text && typeof ttl === 'number' && ttl !== -2 && !this.pending.has(key)) this.applyEnvelope(key, text, ttl === -1 ? undefined : ttl);
        });
      }
    } catch (error) {
      this.markDegraded(asError(error));
    }
  }

  /** After (re)connecting: write back what Redis lost (a restart), flush queued writes, read everything back. */
  private async onConnected(): Promise<void> {
    if (this.closed) return;
    try {
      const now = this.options.clock.now();
      const multi = this.client.multi();
      for (const [key, value] of await this.local.entries<unknown>('')) {
        if (this.pending.has(key)) continue;
        const expiresAt = this.local.expiryOf(key);
        const envelope = JSON.stringify({ v: value } satisfies Envelope);
        if (expiresAt === undefined) multi.set(this.redisKey(key), envelope, 'NX');
        else if (expiresAt > now) multi.set(this.redisKey(key), envelope, 'PX', Math.ceil(expiresAt - now), 'NX');
      }
      await multi.exec();
      this.markHealthy();
      await this.flush();
      await this.pull();
    } catch (error) {
      this.markDegraded(asError(error));
    }
  }

  private applyMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (!isChangeMessage(message) || message.o === this.replicaId) return;
    for (const [key, value, ttlMs] of message.w) {
      if (typeof key === 'string' && !this.pending.has(key)) this.applyRemote(key, value, typeof ttlMs === 'number' ? ttlMs : undefined, true);
    }
  }

  private applyEnvelope(key: string, text: string, ttlMs: number | undefined): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      // An entry another version wrote in a shape this one cannot read is left to expire.
      return;
    }
    this.applyRemote(key, envelope.v, ttlMs, JSON.stringify(this.local.read(key)) !== JSON.stringify(envelope.v));
  }

  /** Puts another replica's write in the local copy and tells the watchers of its prefix when it changed something. */
  private applyRemote(key: string, value: unknown, ttlMs: number | undefined, changed: boolean): void {
    this.local.write(key, value, ttlMs === undefined ? undefined : this.options.clock.now() + ttlMs);
    if (!changed) return;
    for (const { prefix, listener } of this.watchers) {
      if (!key.startsWith(prefix)) continue;
      try {
        listener(key, value, ttlMs);
      } catch {
        // A watcher's failure is its own; the shared state stays applied.
      }
    }
  }

  private redisKey(key: string): string {
    return `${this.options.prefix}s:${key}`;
  }

  private markHealthy(): void {
    this.healthy = true;
    if (this.reported !== 'shared') this.options.onHealthChange?.((this.reported = 'shared'));
  }

  /** Falls back to local state; reported once per outage, however many reconnect attempts fail. */
  private markDegraded(error: Error): void {
    this.healthy = false;
    if (this.reported !== 'degraded' && !this.closed) this.options.onHealthChange?.((this.reported = 'degraded'), error);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The Redis URL without its password, for log lines. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = 'redacted';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
