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
