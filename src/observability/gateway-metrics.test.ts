import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './gateway-metrics.js';
import { loadRequestRecordFixture } from '../../test/support/load-request-record-fixture.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format into samples (enough of it for these tests: no escaped quotes in labels). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) labels[pair[1] ?? ''] = pair[2] ?? '';
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(metrics: GatewayMetrics): Promise<Sample[]> {
  return parseExposition(await metrics.metricsText());
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

const SERVED_RECORD = loadRequestRecordFixture('failoverStream');

/** A record of the `failoverStream` fixture (served by anthropic-main) with these timings, model and stream flag. */
function timedRecord(requestedModel: string, stream: boolean, latencyMs: number, ttftMs?: number, overheadMs?: number) {
  return { ...SERVED_RECORD, requestedModel, stream, latencyMs, ttftMs, overheadMs };
}

/** One metric's lines (HELP, TYPE and samples) from an exposition. */
function metricBlock(text: string, name: string): string | undefined {
  return text
    .split('\n\n')
    .map((block) => block.trimEnd())
    .find((block) => block.startsWith(`# HELP ${name} `));
}

describe('GatewayMetrics', () => {
  it('counts requests by requested model, serving provider, status and client format', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(loadRequestRecordFixture('failoverStream'));
    metrics.record(loadRequestRecordFixture('failoverStream'));
    metrics.record(loadRequestRecordFixture('allFailed'));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_requests_total', { model: 'smart', provider: 'anthropic-main', status: '200', client_format: 'openai-chat' })).toBe(2);
    expect(valueOf(samples, 'switchyard_requests_total', { model: 'smart', provider: '', status: '502' })).toBe(1);
  });

  it('observes duration, ttft and overhead histograms in seconds', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(loadRequestRecordFixture('failoverStream'));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_sum', { model: 'smart', stream: 'true' })).toBeCloseTo(0.9755);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { stream: 'true', le: '0.5' })).toBe(0);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { stream: 'true', le: '1' })).toBe(1);
    expect(valueOf(samples, 'switchyard_ttft_seconds_sum', { stream: 'true' })).toBeCloseTo(0.45);
    expect(valueOf(samples, 'switchyard_ttft_seconds_bucket', { stream: 'true', le: '0.5' })).toBe(1);
    expect(valueOf(samples, 'switchyard_overhead_seconds_bucket', { le: '0.0025' })).toBe(0);
    expect(valueOf(samples, 'switchyard_overhead_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(valueOf(samples, 'switchyard_overhead_seconds_count')).toBe(1);
  });

  it('puts a value exactly on a bucket bound in that bucket, as prom-client does', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(timedRecord('smart', true, 500, 350, 1));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { le: '0.25' })).toBe(0);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { le: '0.5' })).toBe(1);
    expect(valueOf(samples, 'switchyard_ttft_seconds_bucket', { le: '0.2' })).toBe(0);
    expect(valueOf(samples, 'switchyard_ttft_seconds_bucket', { le: '0.35' })).toBe(1);
    expect(valueOf(samples, 'switchyard_overhead_seconds_bucket', { le: '0.0005' })).toBe(0);
    expect(valueOf(samples, 'switchyard_overhead_seconds_bucket', { le: '0.001' })).toBe(1);
  });

  it('keeps cumulative buckets, sums and counts per label combination', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(timedRecord('smart', true, 200, 100, 0.2));
    metrics.record(timedRecord('smart', true, 975.5, 450, 3));
    metrics.record(timedRecord('fast', false, 400_000, undefined, 0.3));
    const samples = await scrape(metrics);
    const smart = { model: 'smart', provider: 'anthropic-main', stream: 'true' };
    const fast = { model: 'fast', provider: 'anthropic-main', stream: 'false' };
    expect(valueOf(samples, 'switchyard_request_duration_seconds_count', smart)).toBe(2);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_sum', smart)).toBeCloseTo(1.1755);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...smart, le: '0.25' })).toBe(1);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...smart, le: '1' })).toBe(2);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...smart, le: '+Inf' })).toBe(2);
    // Above the last bound: only in +Inf and the count.
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...fast, le: '300' })).toBe(0);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...fast, le: '+Inf' })).toBe(1);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_sum', fast)).toBe(400);
    expect(valueOf(samples, 'switchyard_ttft_seconds_count', smart)).toBe(2);
    expect(valueOf(samples, 'switchyard_ttft_seconds_count', fast)).toBeUndefined();
    expect(valueOf(samples, 'switchyard_overhead_seconds_count', { stream: 'true' })).toBe(2);
    expect(valueOf(samples, 'switchyard_overhead_seconds_sum', { stream: 'true' })).toBeCloseTo(0.0032);
    expect(valueOf(samples, 'switchyard_overhead_seconds_count', { stream: 'false' })).toBe(1);
  });

  it('shows the totals so far at every scrape, without counting observations twice', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const labels = { model: 'smart', stream: 'true' };
    metrics.record(timedRecord('smart', true, 200, 100, 0.2));
    expect(valueOf(await scrape(metrics), 'switchyard_request_duration_seconds_count', labels)).toBe(1);
    expect(valueOf(await scrape(metrics), 'switchyard_request_duration_seconds_count', labels)).toBe(1);
    metrics.record(timedRecord('smart', true, 975.5, 450, 3));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_count', labels)).toBe(2);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { ...labels, le: '0.25' })).toBe(1);
    expect(valueOf(samples, 'switchyard_ttft_seconds_sum', labels)).toBeCloseTo(0.55);
    expect(valueOf(samples, 'switchyard_overhead_seconds_count', { stream: 'true' })).toBe(2);
  });

  it('renders each histogram exactly as prom-client\'s own histogram fed the same values', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    const observations: Array<{ model: string; stream: boolean; latencyMs: number; ttftMs?: number; overheadMs: number }> = [];
    for (const [index, latencyMs] of [0.3, 50, 975.5, 1000, 3100, 400_000, 12.25, 250].entries()) {
      const observation = { model: index % 3 === 0 ? 'fast' : 'smart', stream: index % 2 === 0, latencyMs, ttftMs: index === 4 ? undefined : latencyMs / 3, overheadMs: latencyMs / 1000 };
      observations.push(observation);
      metrics.record(timedRecord(observation.model, observation.stream, latencyMs, observation.ttftMs, observation.overheadMs));
      if (index === 3) await metrics.metricsText();
    }
    const text = await metrics.metricsText();

    for (const name of ['switchyard_request_duration_seconds', 'switchyard_ttft_seconds', 'switchyard_overhead_seconds']) {
      const ours = metricBlock(text, name) ?? '';
      // The reference histogram takes its help, label names and bounds from our exposition.
      const help = /^# HELP \S+ (.*)$/m.exec(ours)?.[1] ?? '';
      const buckets = parseExposition(ours).filter((s) => s.name === `${name}_bucket` && s.labels.le !== '+Inf');
      const first = buckets[0]?.labels ?? {};
      const bounds = buckets.filter((s) => Object.keys(first).every((k) => k === 'le' || s.labels[k] === first[k])).map((s) => Number(s.labels.le));
      const perRequest = name !== 'switchyard_overhead_seconds';
      const registry = new Registry();
      const reference = new Histogram({ name, help, labelNames: perRequest ? ['model', 'provider', 'stream'] : ['stream'], buckets: bounds, registers: [registry] });
      for (const { model, stream, latencyMs, ttftMs, overheadMs } of observations) {
        const labels = perRequest ? { model, provider: 'anthropic-main', stream: String(stream) } : { stream: String(stream) };
        const seconds = name === 'switchyard_request_duration_seconds' ? latencyMs : name === 'switchyard_ttft_seconds' ? ttftMs : overheadMs;
        if (seconds !== undefined) reference.observe(labels, seconds / 1000);
      }
      expect(ours).not.toBe('');
      expect(ours).toBe(metricBlock(await registry.metrics(), name));
    }
  });

  it('counts a label combination seen again after its label sets started over as one series', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    // Without known names every requested model is a label; past 10,000 combinations the lookup starts over.
    for (let index = 0; index <= 10_000; index += 1) metrics.record(timedRecord(`model-${index}`, true, 200));
    metrics.record(timedRecord('model-0', true, 975.5));
    const text = await metrics.registry.getSingleMetricAsString('switchyard_request_duration_seconds');
    const samples = parseExposition(text).filter((s) => s.labels.model === 'model-0');
    expect(samples.filter((s) => s.name === 'switchyard_request_duration_seconds_count').map((s) => s.value)).toEqual([2]);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_sum')).toBeCloseTo(1.1755);
  });

  it('counts tokens per disjoint bucket and cost against the served model', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record({ ...loadRequestRecordFixture('failoverStream'), costUsd: 0.0125 });
    const samples = await scrape(metrics);
    const tokens = (kind: string): number | undefined =>
      valueOf(samples, 'switchyard_tokens_total', { model: 'claude-sonnet-4', provider: 'anthropic-main', kind });
    expect([tokens('input'), tokens('cache_read'), tokens('cache_write'), tokens('output'), tokens('reasoning')]).toEqual([100, 20, 5, 40, 10]);
    expect(valueOf(samples, 'switchyard_cost_usd_total', { model: 'claude-sonnet-4', provider: 'anthropic-main' })).toBeCloseTo(0.0125);
  });

  it('counts attempts by outcome and a failover for each failed attempt that was followed by another', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(loadRequestRecordFixture('failoverStream'));
    metrics.record(loadRequestRecordFixture('allFailed'));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_attempts_total', { provider: 'openai-main', model: 'gpt-4.1', outcome: 'upstream_rate_limited' })).toBe(1);
    expect(valueOf(samples, 'switchyard_attempts_total', { provider: 'anthropic-main', model: 'claude-sonnet-4', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'switchyard_failovers_total', { model: 'smart', reason: 'upstream_rate_limited' })).toBe(1);
    expect(valueOf(samples, 'switchyard_failovers_total', { model: 'smart', reason: 'upstream_server_error' })).toBe(1);
    // The last failed attempt had nothing after it, so it is not a failover.
    expect(valueOf(samples, 'switchyard_failovers_total', { reason: 'upstream_connection_error' })).toBeUndefined();
  });

  it('counts errors after a 200 as stream errors', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(loadRequestRecordFixture('midStreamError'));
    metrics.record(loadRequestRecordFixture('allFailed'));
    const samples = await scrape(metrics);
    expect(samples.filter((s) => s.name === 'switchyard_stream_errors_total')).toEqual([
      { name: 'switchyard_stream_errors_total', labels: { model: 'fast', provider: 'openai-main', reason: 'upstream_stalled' }, value: 1 },
    ]);
  });

  it('collapses unknown requested model names so clients cannot grow label cardinality', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.record(loadRequestRecordFixture('unknownModel'));
    const knownNames = { models: new Set(['smart']), providers: new Set(['anthropic-main', 'openai-main']) };
    const guarded = new GatewayMetrics({ defaultMetrics: false, knownNames: () => knownNames });
    guarded.record({ ...loadRequestRecordFixture('allFailed'), requestedModel: 'random-junk', status: 400 });
    guarded.record(loadRequestRecordFixture('allFailed'));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_requests_total', { model: 'other', status: '404', client_format: 'anthropic-messages' })).toBe(1);
    expect(samples.some((s) => s.labels.model === 'made-up-model-123')).toBe(false);
    const guardedSamples = await scrape(guarded);
    expect(valueOf(guardedSamples, 'switchyard_requests_total', { model: 'other', status: '400' })).toBe(1);
    expect(valueOf(guardedSamples, 'switchyard_requests_total', { model: 'smart', status: '502' })).toBe(1);
  });

  it('labels an attempt\'s upstream model by the names known at each record, so a reload that adds a deployment counts it by name', async () => {
    let knownNames = { models: new Set(['smart']), providers: new Set(['anthropic-main', 'openai-main']) };
    const metrics = new GatewayMetrics({ defaultMetrics: false, knownNames: () => knownNames });
    const record = loadRequestRecordFixture('failoverStream');
    const served = record.attempts.at(-1);
    metrics.record(record);
    knownNames = { models: new Set(['smart', `${served?.provider ?? ''}/${served?.model ?? ''}`]), providers: knownNames.providers };
    metrics.record(record);
    metrics.record(record);
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_attempts_total', { provider: served?.provider ?? '', model: 'other', outcome: 'ok' })).toBe(1);
    expect(valueOf(samples, 'switchyard_attempts_total', { provider: served?.provider ?? '', model: served?.model ?? '', outcome: 'ok' })).toBe(2);
    expect(valueOf(samples, 'switchyard_requests_total', { model: 'smart', status: '200' })).toBe(3);
  });

  it('times requests under a model a reload adds by its name from then on', async () => {
    let knownNames = { models: new Set(['smart']), providers: new Set(['anthropic-main']) };
    const metrics = new GatewayMetrics({ defaultMetrics: false, knownNames: () => knownNames });
    metrics.record(timedRecord('fresh', true, 200, 100));
    knownNames = { models: new Set(['smart', 'fresh']), providers: knownNames.providers };
    metrics.record(timedRecord('fresh', true, 975.5, 450));
    metrics.record(timedRecord('fresh', true, 3100, 450));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_count', { model: 'other' })).toBe(1);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_count', { model: 'fresh' })).toBe(2);
    expect(valueOf(samples, 'switchyard_request_duration_seconds_bucket', { model: 'fresh', le: '1' })).toBe(1);
    expect(valueOf(samples, 'switchyard_ttft_seconds_sum', { model: 'fresh' })).toBeCloseTo(0.9);
    expect(valueOf(samples, 'switchyard_ttft_seconds_count', { model: 'other' })).toBe(1);
  });

  it('reads queue, pool and breaker gauges from their sources at scrape time', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    let depth = 3;
    let breakers: Array<{ provider: string; model: string; state: 'closed' | 'open' | 'half-open' }> = [
      { provider: 'openai-main', model: 'gpt-4.1', state: 'open' },
      { provider: 'anthropic-main', model: 'claude-sonnet-4', state: 'half-open' },
    ];
    metrics.setQueueStatsSource(() => ({ depth, dropped: 7 }));
    metrics.setPoolStatsSource(() => [{ origin: 'https://api.openai.com', connected: 4, running: 2, pending: 1 }]);
    metrics.setBreakerStateSource(() => breakers);
    metrics.registerGauge('rate_limit_tokens', 'Tokens left per key.', ['key'], () => [{ labels: { key: 'k1' }, value: 42 }]);

    let samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_log_queue_depth')).toBe(3);
    expect(valueOf(samples, 'switchyard_request_log_dropped_total')).toBe(7);
    expect(valueOf(samples, 'switchyard_upstream_connections', { origin: 'https://api.openai.com', state: 'connected' })).toBe(4);
    expect(valueOf(samples, 'switchyard_upstream_connections', { state: 'running' })).toBe(2);
    expect(valueOf(samples, 'switchyard_upstream_connections', { state: 'pending' })).toBe(1);
    expect(valueOf(samples, 'switchyard_breaker_state', { provider: 'openai-main' })).toBe(1);
    expect(valueOf(samples, 'switchyard_breaker_state', { provider: 'anthropic-main' })).toBe(2);
    expect(valueOf(samples, 'switchyard_rate_limit_tokens', { key: 'k1' })).toBe(42);

    depth = 0;
    breakers = [{ provider: 'openai-main', model: 'gpt-4.1', state: 'closed' }];
    samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_request_log_queue_depth')).toBe(0);
    expect(valueOf(samples, 'switchyard_breaker_state', { provider: 'openai-main' })).toBe(0);
    expect(valueOf(samples, 'switchyard_breaker_state', { provider: 'anthropic-main' })).toBeUndefined();
  });

  it('keeps scraping when a gauge source throws', async () => {
    const metrics = new GatewayMetrics({ defaultMetrics: false });
    metrics.setPoolStatsSource(() => {
      throw new Error('pool gone');
    });
    metrics.record(loadRequestRecordFixture('failoverStream'));
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'switchyard_upstream_connections')).toBeUndefined();
    expect(valueOf(samples, 'switchyard_requests_total', { model: 'smart' })).toBe(1);
  });

  it('includes process metrics on a registry of its own, so two instances never collide', async () => {
    const first = new GatewayMetrics();
    const second = new GatewayMetrics();
    first.record(loadRequestRecordFixture('failoverStream'));
    const text = await first.metricsText();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE switchyard_requests_total counter');
    expect(first.contentType).toContain('text/plain');
    expect(valueOf(await scrape(second), 'switchyard_requests_total')).toBeUndefined();
  });
});
