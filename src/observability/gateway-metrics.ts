import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Usage } from '../core/index.js';
import type { RequestLogRecord, RequestLogSink } from '../ports/request-log.js';
import {
  METRIC_PREFIX,
  registerBreakerMetrics,
  registerCallbackGauge,
  registerPoolMetrics,
  registerQueueMetrics,
} from './gauge-sources.js';
import type { BreakerState, BreakerStats, GaugeSample, PoolStats, QueueStats } from './gauge-sources.js';
import { CounterTotals, HistogramTotals, LabelSets } from './metric-totals.js';

/** A finished request record, optionally priced by the lead's cost calculator. */
export type MeteredRequestRecord = RequestLogRecord & { costUsd?: number };

export interface GatewayMetricsOptions {
  /** Also export prom-client's default process metrics (CPU, memory, event loop, GC). Default true. */
  defaultMetrics?: boolean;
  /**
   * The names the configuration knows, read at each record (a reload changes them). When given, every model or
   * provider label outside them is recorded as `other`, so clients cannot grow label cardinality with made-up names.
   */
  knownNames?: () => KnownLabelNames;
}

/** Label values that come from configuration: the only model and provider names a metric may carry. */
export interface KnownLabelNames {
  /** Client-facing model names: aliases and `<provider id>/<model>` for configured and catalogued models. */
  models: ReadonlySet<string>;
  /** Configured provider ids. */
  providers: ReadonlySet<string>;
}

/** The one label every name outside the configuration is counted under. */
const OTHER_LABEL = 'other';

const TOKEN_KINDS: ReadonlyArray<readonly [kind: string, bucket: keyof Omit<Usage, 'raw'>]> = [
  ['input', 'inputTokens'],
  ['cache_read', 'cacheReadTokens'],
  ['cache_write', 'cacheWriteTokens'],
  ['output', 'outputTokens'],
  ['reasoning', 'reasoningTokens'],
];

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 20];
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05];

/** Prometheus metrics derived from finished request records, on a registry of its own. */
export class GatewayMetrics implements RequestLogSink {
  readonly registry = new Registry();
  private textSource?: () => Promise<string>;
  private readonly knownNames: (() => KnownLabelNames) | undefined;
  private queueSource: (() => QueueStats) | undefined;
  private poolSource: (() => readonly PoolStats[]) | undefined;
  private breakerSource: (() => readonly BreakerStats[]) | undefined;

  private readonly labels = new RequestLabels();
  private readonly requests = this.counter('requests_total', 'Requests by requested model, serving provider, HTTP status and client format.', ['model', 'provider', 'status', 'client_format'], this.labels.requests);
  private readonly duration = this.histogram('request_duration_seconds', 'Total request duration as seen by the gateway.', ['model', 'provider', 'stream'], this.labels.duration);
  private readonly ttft = this.histogram('ttft_seconds', 'Time from request arrival to the first token sent.', ['model', 'provider', 'stream'], this.labels.ttft);
  private readonly overhead = this.histogram('overhead_seconds', 'Time spent in the gateway itself: request duration minus upstream time.', ['stream'], this.labels.overhead);
  private readonly tokens = this.counter('tokens_total', 'Tokens by served model, provider and kind (disjoint buckets).', ['model', 'provider', 'kind'], this.labels.tokens);
  private readonly cost = this.counter('cost_usd_total', 'Estimated spend in US dollars by served model and provider.', ['model', 'provider'], this.labels.cost);
  private readonly attempts = this.counter('attempts_total', 'Upstream attempts by provider, upstream model and outcome (ok or an error code).', ['provider', 'model', 'outcome'], this.labels.attempts);
  private readonly timeouts = this.counter('upstream_timeouts_total', 'Attempts that hit a deadline, by provider, upstream model and phase (connect, headers, first_token, stall, total).', ['provider', 'model', 'phase'], this.labels.timeouts);
  private readonly failovers = this.counter('failovers_total', 'Failed attempts followed by another attempt, by requested model and the failure reason.', ['model', 'reason'], this.labels.failovers);
  private readonly cacheLookups = this.counter('cache_lookups_total', 'Response cache lookups by requested model and result (hit or miss); the hit rate is hit / (hit + miss).', ['model', 'result'], this.labels.cacheLookups);
  private readonly streamErrors = this.counter('stream_errors_total', 'Requests that failed after a 200 had been sent (mid-stream errors).', ['model', 'provider', 'reason'], this.labels.streamErrors);

  constructor(options: GatewayMetricsOptions = {}) {
    this.knownNames = options.knownNames;
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    registerQueueMetrics(this.registry, () => this.queueSource?.());
    registerPoolMetrics(this.registry, () => this.poolSource?.() ?? []);
    registerBreakerMetrics(this.registry, () => foldUnknownBreakers(this.breakerSource?.() ?? [], this.knownNames?.()));
  }

  /** The Content-Type to send with `metricsText()`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Renders every metric in the Prometheus text exposition format (the whole cluster's, once one is set). */
  metricsText(): Promise<string> {
    return this.textSource ? this.textSource() : this.registry.metrics();
  }

  /** Renders scrapes with `source` instead of this process's registry: a cluster worker asks for every worker's. */
  setTextSource(source: () => Promise<string>): void {
    this.textSource = source;
  }

  /** Counts one finished request; never throws. */
  record(entry: MeteredRequestRecord): void {
    try {
      this.observe(entry);
    } catch {
      // Metrics must never break the request path; a bad record is simply not counted.
    }
  }

  async flush(): Promise<void> {}

  /** Adds a gauge named `switchyard_<name>` whose samples `collect()` returns at each scrape. */
  registerGauge(name: string, help: string, labelNames: readonly string[], collect: () => readonly GaugeSample[]): void {
    registerCallbackGauge(this.registry, name, help, labelNames, collect);
  }

  /** Feeds `request_log_queue_depth` and `request_log_dropped_total`. */
  setQueueStatsSource(source: () => QueueStats): void {
    this.queueSource = source;
  }

  /** Feeds `upstream_connections{origin,state}`. */
  setPoolStatsSource(source: () => readonly PoolStats[]): void {
    this.poolSource = source;
  }

  /** Feeds `breaker_state{provider,model}`. */
  setBreakerStateSource(source: () => readonly BreakerStats[]): void {
    this.breakerSource = source;
  }

  private observe(entry: MeteredRequestRecord): void {
    const known = this.knownNames?.();
    const labels = this.labels;
    const requested = this.requestedModelLabel(entry, known);
    const provider = entry.provider === undefined ? '' : providerLabel(entry.provider, known);
    const served = entry.model === undefined || entry.provider === undefined ? requested : labels.deploymentModel(entry.provider, entry.model, known);
    const stream = entry.stream ? 'true' : 'false';

    this.requests.add(1, requested, provider, statusLabel(entry.status), entry.clientFormat);
    this.duration.observe(entry.latencyMs / 1000, requested, provider, stream);
    if (entry.ttftMs !== undefined) this.ttft.observe(entry.ttftMs / 1000, requested, provider, stream);
    if (entry.overheadMs !== undefined) this.overhead.observe(entry.overheadMs / 1000, stream);

    if (entry.cache !== undefined) this.cacheLookups.add(1, requested, entry.cache);

    if (entry.usage !== undefined) {
      for (const [kind, bucket] of TOKEN_KINDS) {
        const count = entry.usage[bucket];
        if (count !== undefined && count > 0) this.tokens.add(count, served, provider, kind);
      }
    }
    if (typeof entry.costUsd === 'number' && Number.isFinite(entry.costUsd) && entry.costUsd > 0) {
      this.cost.add(entry.costUsd, served, provider);
    }

    const { attempts } = entry;
    for (let index = 0; index < attempts.length; index += 1) {
      const attempt = attempts[index];
      if (attempt === undefined) continue;
      const model = labels.deploymentModel(attempt.provider, attempt.model, known);
      const attemptProvider = providerLabel(attempt.provider, known);
      this.attempts.add(1, attemptProvider, model, attempt.outcome);
      if (attempt.phase !== undefined) this.timeouts.add(1, attemptProvider, model, attempt.phase);
      if (attempt.outcome !== 'ok' && index < attempts.length - 1) {
        this.failovers.add(1, requested, attempt.outcome);
      }
    }

    if (entry.status === 200 && entry.errorCode !== undefined) {
      this.streamErrors.add(1, requested, provider, entry.errorCode);
    }
  }

  private requestedModelLabel(entry: RequestLogRecord, known: KnownLabelNames | undefined): string {
    const name = entry.requestedModel;
    if (name === undefined) return '';
    if (entry.provider === undefined && entry.status === 404) return OTHER_LABEL;
    if (known !== undefined && !known.models.has(name)) return OTHER_LABEL;
    return name;
  }

  /** A counter whose counts `totals` keeps; prom-client's own series are rebuilt from them at each scrape. */
  private counter<T extends string, L extends Partial<Record<T, string>>>(name: string, help: string, labelNames: readonly T[], totals: CounterTotals<L>): CounterTotals<L> {
    new Counter({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        totals.copyInto(this);
      },
    });
    return totals;
  }

  /** A histogram whose buckets `totals` keeps; prom-client's own series are rebuilt from them at each scrape. */
  private histogram<T extends string, L extends Partial<Record<T, string>>>(name: string, help: string, labelNames: readonly T[], totals: HistogramTotals<L>): HistogramTotals<L> {
    new Histogram({
      name: `${METRIC_PREFIX}${name}`,
      help,
      labelNames,
      buckets: [...totals.bounds],
      registers: [this.registry],
      collect() {
        totals.copyInto(this);
      },
    });
    return totals;
  }
}

function providerLabel(id: string, known: KnownLabelNames | undefined): string {
  return known === undefined || known.providers.has(id) ? id : OTHER_LABEL;
}

/** An upstream model is a label only when `<provider>/<model>` is a configured or catalogued name. */
function deploymentModelLabel(providerId: string, model: string, known: KnownLabelNames | undefined): string {
  return known === undefined || known.models.has(`${providerId}/${model}`) ? model : OTHER_LABEL;
}

/** The label sets of every per-request metric, and the model labels of deployments under the current names. */
class RequestLabels {
  readonly requests = new CounterTotals((model, provider, status, client_format) => ({ model, provider, status, client_format }));
  readonly duration = new HistogramTotals(DURATION_BUCKETS, (model, provider, stream) => ({ model, provider, stream }));
  readonly ttft = new HistogramTotals(TTFT_BUCKETS, (model, provider, stream) => ({ model, provider, stream }));
  readonly overhead = new HistogramTotals(OVERHEAD_BUCKETS, (stream) => ({ stream }));
  readonly cacheLookups = new CounterTotals((model, result) => ({ model, result }));
  readonly tokens = new CounterTotals((model, provider, kind) => ({ model, provider, kind }));
  readonly cost = new CounterTotals((model, provider) => ({ model, provider }));
  readonly attempts = new CounterTotals((provider, model, outcome) => ({ provider, model, outcome }));
  readonly timeouts = new CounterTotals((provider, model, phase) => ({ provider, model, phase }));
  readonly failovers = new CounterTotals((model, reason) => ({ model, reason }));
  readonly streamErrors = new CounterTotals((model, provider, reason) => ({ model, provider, reason }));
  /** Deployment model labels under `namesOf` (a reload brings new names, and these start over). */
  private deploymentModels: { names: KnownLabelNames; labels: LabelSets<string> } | undefined;

  deploymentModel(providerId: string, model: string, known: KnownLabelNames | undefined): string {
    if (known === undefined) return model;
    if (this.deploymentModels?.names !== known) {
      this.deploymentModels = { names: known, labels: new LabelSets((provider, name) => deploymentModelLabel(provider, name, known)) };
    }
    return this.deploymentModels.labels.get(providerId, model);
  }
}

/** HTTP statuses as label text, each made once. */
const STATUS_LABELS: string[] = [];

function statusLabel(status: number): string {
  if (!Number.isInteger(status) || status < 0 || status > 999) return String(status);
  let label = STATUS_LABELS[status];
  if (label === undefined) {
    label = String(status);
    STATUS_LABELS[status] = label;
  }
  return label;
}

const BREAKER_SEVERITY: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Breakers of deployments outside the configuration share one `other` series per provider, showing the worst state. */
function foldUnknownBreakers(breakers: readonly BreakerStats[], known: KnownLabelNames | undefined): BreakerStats[] {
  const folded = new Map<string, BreakerStats>();
  for (const breaker of breakers) {
    const labelled = { provider: providerLabel(breaker.provider, known), model: deploymentModelLabel(breaker.provider, breaker.model, known), state: breaker.state };
    const key = `${labelled.provider}\n${labelled.model}`;
    const seen = folded.get(key);
    if (seen === undefined || BREAKER_SEVERITY[labelled.state] > BREAKER_SEVERITY[seen.state]) folded.set(key, labelled);
  }
  return [...folded.values()];
}
