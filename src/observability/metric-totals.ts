import type { Counter, Histogram } from 'prom-client';

/** Most label sets one metric remembers; past it the memory starts over (only unguarded names, without knownNames, get there). */
const MAX_LABEL_SETS = 10_000;

/**
 * Label objects made once per combination of values and handed to prom-client again each time, so recording a request
 * allocates no label objects: every request used to build eight, plus a `<provider>/<model>` string per model label.
 * Looked up through nested maps keyed by the values themselves (strings the record already holds).
 */
export class LabelSets<L> {
  private readonly root = new Map<string, Map<string, Map<string, Map<string, L>>>>();
  private size = 0;
  /**
   * The combination asked for last, and its labels: traffic repeats one combination far more often than not, and
   * comparing four short strings costs less than four map lookups, each hashing a string new to V8 (a request's model).
   * Kept in fields rather than an object, so that a miss allocates nothing.
   */
  private lastA = '';
  private lastB = '';
  private lastC = '';
  private lastD = '';
  private lastLabels: L | undefined;

  constructor(private readonly make: (a: string, b: string, c: string, d: string) => L) {}

  get(a: string, b = '', c = '', d = ''): L {
    const known = this.lastLabels;
    if (known !== undefined && this.lastA === a && this.lastB === b && this.lastC === c && this.lastD === d) return known;
    const labels = this.lookUp(a, b, c, d);
    this.lastA = a;
    this.lastB = b;
    this.lastC = c;
    this.lastD = d;
    this.lastLabels = labels;
    return labels;
  }

  private lookUp(a: string, b: string, c: string, d: string): L {
    let second = this.root.get(a);
    if (second === undefined) {
      second = new Map();
      this.root.set(a, second);
    }
    let third = second.get(b);
    if (third === undefined) {
      third = new Map();
      second.set(b, third);
    }
    let fourth = third.get(c);
    if (fourth === undefined) {
      fourth = new Map();
      third.set(c, fourth);
    }
    let labels = fourth.get(d);
    if (labels === undefined) {
      if (this.size >= MAX_LABEL_SETS) {
        this.root.clear();
        this.size = 0;
        return this.lookUp(a, b, c, d);
      }
      labels = this.make(a, b, c, d);
      fourth.set(d, labels);
      this.size += 1;
    }
    return labels;
  }
}

/** Series made once per combination of label values, listed in the order first asked for (prom-client's order too). */
class SeriesList<S> {
  /** Every series in the order it was made. */
  readonly all: S[] = [];
  private readonly lookup: LabelSets<S>;

  constructor(make: (a: string, b: string, c: string, d: string) => S) {
    this.lookup = new LabelSets((a, b, c, d) => {
      const series = make(a, b, c, d);
      this.all.push(series);
      return series;
    });
  }

  /** The series of these label values, made on first use. */
  get(a: string, b = '', c = '', d = ''): S {
    return this.lookup.get(a, b, c, d);
  }
}

/** One counter series: its label object and its count so far. */
interface CounterSeries<L> {
  labels: L;
  total: number;
}

/**
 * A counter's counts per label combination, kept here and copied into prom-client's counter at each scrape. Calling
 * prom-client's `inc` per request turned the label values into a string key on every call (about 450 bytes and half
 * a microsecond each, four to eight calls per request); a scrape now does that once per series. The totals add up in
 * the order prom-client added them, so the exposed values are the same numbers.
 */
export class CounterTotals<L extends object> {
  private readonly series: SeriesList<CounterSeries<L>>;

  constructor(make: (a: string, b: string, c: string, d: string) => L) {
    this.series = new SeriesList((a, b, c, d) => ({ labels: make(a, b, c, d), total: 0 }));
  }

  /** Adds `value` to a series; refuses what prom-client's `inc` refuses, with its errors, before counting anything. */
  add(value: number, a: string, b = '', c = '', d = ''): void {
    if (value && !Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
    if (value < 0) throw new Error('It is not possible to decrease a counter');
    this.series.get(a, b, c, d).total += value;
  }

  /**
   * Replaces the counter's series with these totals (prom-client's collect hook, at each scrape). A combination counted
   * again after the lookup started over (past MAX_LABEL_SETS) has two series here, which `inc` adds into one.
   */
  copyInto(counter: Counter<string>): void {
    counter.reset();
    for (const { labels, total } of this.series.all) counter.inc(labels as Partial<Record<string, string>>, total);
  }
}

/** One histogram series: its label object, how many values fell in each bucket (not cumulative), their sum and count. */
interface HistogramSeries<L> {
  labels: L;
  /** Values at most `bounds[i]` and above the bound before it; values above the last bound are only in `count`. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** prom-client's own record of one histogram series (not public API; 15.x): per-bucket counts keyed by bound. */
interface PromHistogramSeries {
  labels: object;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}

/**
 * A histogram's buckets per label combination, kept here and handed to prom-client's histogram at each scrape, for the
 * reason `CounterTotals` gives: `observe` made a string key of the label values on every call, three calls per
 * request. prom-client has no public way to set a bucket, so the scrape writes its series record (`hashMap`) directly;
 * its own code still turns that into the cumulative `le` buckets, `_sum` and `_count`, so the text is the same, and a
 * test compares it with prom-client's own histogram fed the same values.
 */
export class HistogramTotals<L extends object> {
  private readonly series: SeriesList<HistogramSeries<L>>;

  /** `bounds`: the buckets' upper bounds, ascending, as prom-client is given them. */
  constructor(
    readonly bounds: readonly number[],
    make: (a: string, b: string, c: string, d: string) => L,
  ) {
    this.series = new SeriesList((a, b, c, d) => ({ labels: make(a, b, c, d), buckets: new Float64Array(bounds.length), sum: 0, count: 0 }));
  }

  /** Adds one value; refuses what prom-client's `observe` refuses, with its error, before counting anything. */
  observe(value: number, a: string, b = '', c = '', d = ''): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${String(value)}`);
    const series = this.series.get(a, b, c, d);
    const { bounds } = this;
    // prom-client's rule: a value goes in the first bucket whose bound it does not exceed. An indexed loop, because
    // for-of here allocated an iterator per call (about 50 bytes; measured).
    for (let index = 0; index < bounds.length; index += 1) {
      if (value <= (bounds[index] as number)) {
        series.buckets[index] = (series.buckets[index] ?? 0) + 1;
        break;
      }
    }
    series.sum += value;
    series.count += 1;
  }

  /**
   * Replaces the histogram's series with these (prom-client's collect hook, at each scrape). A combination observed
   * again after the lookup started over (past MAX_LABEL_SETS) has two series here, added into one as `observe` would.
   */
  copyInto(histogram: Histogram<string>): void {
    const record: Record<string, PromHistogramSeries> = {};
    for (const { labels, buckets, sum, count } of this.series.all) {
      // Any key unique per label set will do, as long as it is not an integer: those would be listed first.
      const key = JSON.stringify(labels);
      let target = record[key];
      if (target === undefined) {
        target = { labels, bucketValues: {}, sum: 0, count: 0 };
        record[key] = target;
      }
      for (let index = 0; index < this.bounds.length; index += 1) {
        const bound = this.bounds[index] as number;
        target.bucketValues[bound] = (target.bucketValues[bound] ?? 0) + (buckets[index] ?? 0);
      }
      target.sum += sum;
      target.count += count;
    }
    (histogram as unknown as { hashMap: Record<string, PromHistogramSeries> }).hashMap = record;
  }
}
