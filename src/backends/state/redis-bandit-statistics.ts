import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ArmEvidence, BanditArms, BanditObservation, BanditStatistics } from '../../ports/bandit-statistics.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';
import { EMPTY_EVIDENCE, EVIDENCE_FIELDS, applyEvidenceUpdate, evidenceUpdate, type EvidenceUpdate } from '../../routing/bandit-evidence.js';
import { banditKey, parseBanditKey } from './bandit-key.js';

/** How the shared bandit evidence reaches Redis. */
export interface RedisBanditOptions {
  redis: Redis;
  /** Namespaces the evidence (`<prefix>bandit:<alias>:<task class>`, one hash each) and the applied-update marks. */
  prefix: string;
}

/** One observation not yet applied in Redis. */
interface PendingUpdate {
  id: string;
  key: string;
  arm: string;
  update: EvidenceUpdate;
}

/** Observations kept while Redis is unreachable; past this the oldest are dropped (their evidence stays local). */
const MAX_PENDING = 10_000;
/** How long Redis remembers that an update was applied, so a retry after a lost reply does not count it twice. */
const APPLIED_MARK_MS = 86_400_000;

/**
 * Applies one evidence update to an arm's fields of the hash KEYS[1] (field `<name>:<arm>`), each `value × factor +
 * add`, once per update id (KEYS[2] marks it applied); returns the new values, or false for an update applied before.
 */
const APPLY_UPDATE = `
if not redis.call('set', KEYS[2], '1', 'NX', 'PX', ARGV[3]) then return false end
local factor = tonumber(ARGV[1])
local out = {}
for i = 4, #ARGV, 2 do
  local field = ARGV[i] .. ':' .. ARGV[2]
  local value = tonumber(redis.call('hget', KEYS[1], field) or '0') * factor + tonumber(ARGV[i + 1])
  local text = string.format('%.17g', value)
  redis.call('hset', KEYS[1], field, text)
  out[#out + 1] = text
end
return out
`;

function isField(name: string): name is keyof ArmEvidence {
  return (EVIDENCE_FIELDS as readonly string[]).includes(name);
}

/** The evidence per arm from a hash of `<field>:<arm>` → number. */
function armsOf(hash: Record<string, string>): Record<string, ArmEvidence> {
  const arms: Record<string, ArmEvidence> = {};
  for (const [name, text] of Object.entries(hash)) {
    const colon = name.indexOf(':');
    const field = name.slice(0, colon);
    const value = Number(text);
    if (colon <= 0 || !isField(field) || !Number.isFinite(value)) continue;
    const arm = name.slice(colon + 1);
    arms[arm] = { ...(arms[arm] ?? EMPTY_EVIDENCE), [field]: value };
  }
  return arms;
}

/**
 * Bandit evidence shared by every replica through Redis, with no feedback lost: each observation is applied where the
 * evidence lives, by one Lua script (decay and add, atomic), so two replicas observing the same (alias, task class)
 * at once both count. Routing reads a local snapshot (never Redis); it takes this replica's observations at once and
 * everyone's on `refresh`. While Redis is unreachable observations apply locally and wait in order; they are applied
 * in Redis when it answers again, each exactly once.
 */
export class RedisBanditStatistics implements BanditStatistics {
  private snapshot = new Map<string, Record<string, ArmEvidence>>();
  private pending: PendingUpdate[] = [];
  /** Flushes and refreshes run one after another, so a refresh never sees an update half-applied. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: RedisBanditOptions) {}

  read(alias: string, taskClass: string): BanditArms {
    return this.snapshot.get(banditKey(alias, taskClass)) ?? {};
  }

  /** Applies the observation locally at once and in Redis as soon as it answers; never rejects. */
  observe(alias: string, taskClass: string, arm: string, observation: BanditObservation, halfLife: number): Promise<void> {
    const pending: PendingUpdate = { id: randomUUID(), key: banditKey(alias, taskClass), arm, update: evidenceUpdate(observation, halfLife) };
    this.applyLocally(pending);
    this.pending.push(pending);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    return this.enqueue(() => this.flush());
  }

  all(): Array<{ alias: string; taskClass: string; arms: BanditArms }> {
    return [...this.snapshot.entries()].flatMap(([key, arms]) => {
      const parsed = parseBanditKey(key);
      return parsed ? [{ ...parsed, arms }] : [];
    });
  }

  /** Flushes and refreshes every `intervalMs` on `timer`; returns the function that stops it (at shutdown). */
  refreshEvery(timer: IntervalTimer, intervalMs: number): () => void {
    return timer.every(intervalMs, () => void this.refresh());
  }

  /** Applies waiting observations in Redis, then replaces the snapshot with the fleet's evidence; never rejects. */
  refresh(): Promise<void> {
    return this.enqueue(async () => {
      await this.flush();
      await this.load();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(task).catch(() => undefined);
    return this.chain;
  }

  /** Applies waiting observations in order; stops at the first failure (Redis unreachable), keeping the rest. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const next = this.pending[0] as PendingUpdate;
      const { factor, add } = next.update;
      const args = [String(factor), next.arm, String(APPLIED_MARK_MS), ...EVIDENCE_FIELDS.flatMap((field) => [field, String(add[field])])];
      const result = (await this.options.redis.eval(APPLY_UPDATE, 2, this.redisKey(next.key), `${this.options.prefix}bandit-applied:${next.id}`, ...args)) as string[] | null;
      this.pending.shift();
      if (!result) continue;
      const arms = { ...this.snapshot.get(next.key) };
      arms[next.arm] = Object.fromEntries(EVIDENCE_FIELDS.map((field, i) => [field, Number(result[i])])) as unknown as ArmEvidence;
      this.snapshot.set(next.key, arms);
      // Observations of the same arm still waiting stay visible on top of what Redis now holds.
      for (const later of this.pending) if (later.key === next.key && later.arm === next.arm) this.applyLocally(later);
    }
  }

  /** Reads every (alias, task class) from Redis, with the observations still waiting applied on top. */
  private async load(): Promise<void> {
    const { redis, prefix } = this.options;
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}bandit:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    const snapshot = new Map<string, Record<string, ArmEvidence>>();
    keys.forEach((key, i) => {
      const hash = replies[i]?.[1];
      if (hash && typeof hash === 'object') snapshot.set(key.slice(prefix.length), armsOf(hash as Record<string, string>));
    });
    this.snapshot = snapshot;
    for (const pending of this.pending) this.applyLocally(pending);
  }

  private applyLocally(pending: PendingUpdate): void {
    const arms = { ...this.snapshot.get(pending.key) };
    arms[pending.arm] = applyEvidenceUpdate(arms[pending.arm], pending.update);
    this.snapshot.set(pending.key, arms);
  }

  private redisKey(key: string): string {
    return `${this.options.prefix}${key}`;
  }
}
