import type { RoutingHistorySample } from '../ports/routing-overview.js';

/** A fixed-size ring of samples, oldest overwritten first. */
class SampleRing {
  private readonly slots: RoutingHistorySample[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(sample: RoutingHistorySample): void {
    if (this.slots.length < this.capacity) this.slots.push(sample);
    else this.slots[this.next] = sample;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  list(): RoutingHistorySample[] {
    return this.slots.length < this.capacity ? [...this.slots] : [...this.slots.slice(this.next), ...this.slots.slice(0, this.next)];
  }
}

/**
 * How each alias's routing weights and statistics moved: a bounded in-memory ring per alias, filled by a timer at the
 * edge. Aliases a reload removed are forgotten at the next sample, so memory stays bounded by the config.
 */
export class RoutingHistory {
  private readonly rings = new Map<string, SampleRing>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('routing history capacity must be a positive integer');
  }

  /** Adds one sample per alias now configured. */
  record(samples: ReadonlyMap<string, RoutingHistorySample>): void {
    for (const alias of this.rings.keys()) if (!samples.has(alias)) this.rings.delete(alias);
    for (const [alias, sample] of samples) {
      let ring = this.rings.get(alias);
      if (!ring) {
        ring = new SampleRing(this.capacity);
        this.rings.set(alias, ring);
      }
      ring.push(sample);
    }
  }

  /** An alias's samples, oldest first; empty before its first. */
  of(alias: string): RoutingHistorySample[] {
    return this.rings.get(alias)?.list() ?? [];
  }
}
