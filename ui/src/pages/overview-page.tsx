import { useState } from 'react';
import { api } from '../api';
import type { AggregateRow, Breaker, DeploymentStatistics, RequestRecord, Series } from '../api-types';
import { Empty, ErrorNote, Panel, Stat } from '../components/notes';
import { TimeChart } from '../components/time-chart';
import { count, ms, percent, usd } from '../format';
import { usePoll } from '../use-poll';

/** The windows the overview offers, each with a bucket count that gives readable charts. */
const WINDOWS = [
  { value: '15m', label: '15 minutes', buckets: 15 },
  { value: '1h', label: '1 hour', buckets: 12 },
  { value: '6h', label: '6 hours', buckets: 24 },
  { value: '24h', label: '24 hours', buckets: 24 },
  { value: '7d', label: '7 days', buckets: 28 },
] as const;

/** Recent upstream attempts of one deployment, read from the newest request records. */
interface RecentAttempts {
  count: number;
  failed: number;
  latencyP50: number;
}

interface OverviewData {
  series: Series;
  total: AggregateRow | undefined;
  recent: Map<string, RecentAttempts>;
  breakers: Breaker[];
  deployments: DeploymentStatistics[];
}

const RECENT_MS = 15 * 60_000;
const RECENT_RECORDS = 1000;

/** Every attempt (failed ones included, unlike the served-provider stats) per deployment. */
function recentAttempts(records: RequestRecord[]): Map<string, RecentAttempts> {
  const latencies = new Map<string, number[]>();
  const failed = new Map<string, number>();
  for (const record of records) {
    for (const attempt of record.attempts) {
      const key = `${attempt.provider}/${attempt.model}`;
      latencies.set(key, [...(latencies.get(key) ?? []), attempt.latencyMs]);
      if (attempt.outcome !== 'ok') failed.set(key, (failed.get(key) ?? 0) + 1);
    }
  }
  return new Map(
    [...latencies].map(([key, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [key, { count: sorted.length, failed: failed.get(key) ?? 0, latencyP50: sorted[Math.floor((sorted.length - 1) / 2)] ?? 0 }];
    }),
  );
}

async function loadOverview(window: (typeof WINDOWS)[number]): Promise<OverviewData> {
  const [series, total, recent, breakers, statistics] = await Promise.all([
    api<Series>(`/admin/stats/series?window=${window.value}&buckets=${window.buckets}`),
    api<{ data: AggregateRow[] }>(`/admin/stats?group_by=all&window=${window.value}`),
    api<{ data: RequestRecord[] }>(`/admin/requests?from=${Date.now() - RECENT_MS}&limit=${RECENT_RECORDS}`),
    api<{ data: Breaker[] }>('/admin/breakers'),
    api<{ deployments: DeploymentStatistics[] }>('/admin/routing/stats'),
  ]);
  return { series, total: total.data[0], recent: recentAttempts(recent.data), breakers: breakers.data, deployments: statistics.deployments };
}

/** One row per deployment known to the breakers or the routing statistics. */
function deploymentRows(data: OverviewData) {
  const rows = new Map<string, { provider: string; model: string; breaker?: Breaker; statistics?: DeploymentStatistics }>();
  for (const breaker of data.breakers) rows.set(`${breaker.provider}/${breaker.model}`, { provider: breaker.provider, model: breaker.model, breaker });
  for (const key of data.recent.keys()) {
    const slash = key.indexOf('/');
    if (!rows.has(key)) rows.set(key, { provider: key.slice(0, slash), model: key.slice(slash + 1) });
  }
  for (const statistics of data.deployments) {
    const key = `${statistics.provider}/${statistics.model}`;
    rows.set(key, { provider: statistics.provider, model: statistics.model, ...rows.get(key), statistics });
  }
  return [...rows.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Traffic, errors, latency, tokens and cost over a chosen window, and each deployment's health. */
export function OverviewPage() {
  const [windowValue, setWindowValue] = useState<(typeof WINDOWS)[number]['value']>('1h');
  const window = WINDOWS.find((candidate) => candidate.value === windowValue) ?? WINDOWS[1];
  const { data, error } = usePoll(() => loadOverview(window), window.value);
  const hours = data ? data.series.bucketMs / 3_600_000 : 1;
  const points =
    data?.series.data.map((bucket) => ({
      at: bucket.from,
      rps: bucket.count / (data.series.bucketMs / 1000),
      errorRate: bucket.errorRate,
      p50: bucket.count > 0 ? bucket.latencyMs.p50 : undefined,
      p95: bucket.count > 0 ? bucket.latencyMs.p95 : undefined,
      ttft50: bucket.ttftMs?.p50,
      ttft95: bucket.ttftMs?.p95,
      inputPerHour: bucket.tokens.input / hours,
      outputPerHour: (bucket.tokens.output + bucket.tokens.reasoning) / hours,
      costPerHour: (bucket.costUsd ?? 0) / hours,
    })) ?? [];
  const total = data?.total;
  const seconds = data ? (data.series.to - data.series.from) / 1000 : 1;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Overview</h1>
        <label className="inline">
          Window
          <select value={windowValue} onChange={(event) => setWindowValue(event.target.value as typeof windowValue)} aria-label="Window">
            {WINDOWS.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      {data && !total ? (
        <Empty title={`No requests in the last ${window.label}.`}>
          Send one through the gateway, e.g. <code>curl {location.origin}/v1/chat/completions -H 'content-type: application/json' -d '{`{"model":"simulated/echo","messages":[{"role":"user","content":"hello"}]}`}'</code>, or open <a href="#/compare">Compare</a>.
        </Empty>
      ) : null}
      <div className="stats" data-testid="overview-stats">
        <Stat label="Requests" value={count(total?.count ?? 0)} hint={`${((total?.count ?? 0) / seconds).toFixed(2)} req/s`} />
        <Stat label="Error rate" value={percent(total?.errorRate ?? 0)} hint={`${total?.errorCount ?? 0} failed · ${percent(total?.fallbackRate ?? 0)} fell back`} />
        <Stat label="Latency p50 / p95" value={`${ms(total?.latencyMs.p50)} / ${ms(total?.latencyMs.p95)}`} />
        <Stat label="TTFT p50 / p95" value={`${ms(total?.ttftMs?.p50)} / ${ms(total?.ttftMs?.p95)}`} hint="streamed requests" />
        <Stat label="Tokens" value={count(total ? total.tokens.input + total.tokens.output + total.tokens.reasoning : 0)} hint={`${count(total?.tokens.input ?? 0)} in · ${count((total?.tokens.output ?? 0) + (total?.tokens.reasoning ?? 0))} out`} />
        <Stat label="Cost" value={usd(total?.costUsd ?? 0)} hint="priced models only" />
      </div>
      <div className="grid2">
        <Panel title="Requests per second and error rate">
          <TimeChart points={points} series={[{ key: 'rps', name: 'req/s', color: '#2563eb' }]} format={(value) => value.toFixed(2)} />
          <TimeChart points={points} series={[{ key: 'errorRate', name: 'error rate', color: '#dc2626' }]} format={(value) => percent(value)} height={120} max={0.05} />
        </Panel>
        <Panel title="Latency and time to first token">
          <TimeChart
            points={points}
            series={[
              { key: 'p50', name: 'latency p50', color: '#2563eb' },
              { key: 'p95', name: 'latency p95', color: '#93c5fd' },
              { key: 'ttft50', name: 'TTFT p50', color: '#16a34a' },
              { key: 'ttft95', name: 'TTFT p95', color: '#86efac' },
            ]}
            format={(value) => ms(value)}
            height={320}
          />
        </Panel>
        <Panel title="Tokens per hour">
          <TimeChart
            kind="bar"
            points={points}
            series={[
              { key: 'inputPerHour', name: 'input', color: '#7c3aed' },
              { key: 'outputPerHour', name: 'output + reasoning', color: '#d97706' },
            ]}
            format={(value) => count(value)}
          />
        </Panel>
        <Panel title="Cost per hour">
          <TimeChart kind="bar" points={points} series={[{ key: 'costPerHour', name: 'USD per hour', color: '#0891b2' }]} format={(value) => usd(value)} />
        </Panel>
      </div>
      <Panel title="Deployments">
        {data && deploymentRows(data).length === 0 ? (
          <Empty title="No deployment has been called yet.">Health appears here after the first request reaches a provider.</Empty>
        ) : (
          <table data-testid="deployments">
            <thead>
              <tr>
                <th>Deployment</th>
                <th>Breaker</th>
                <th title="Upstream attempts in the last 15 minutes (newest 1000 requests), failed ones included">Attempt errors (15 min)</th>
                <th>Attempt latency p50 (15 min)</th>
                <th>TTFT (avg)</th>
                <th>Total (avg)</th>
                <th>Tokens/s</th>
                <th>In flight</th>
              </tr>
            </thead>
            <tbody>
              {data
                ? deploymentRows(data).map(([key, row]) => {
                    const recent = data.recent.get(key);
                    const state = row.breaker?.state ?? 'closed';
                    return (
                      <tr key={key}>
                        <td>{key}</td>
                        <td>
                          <span className={`badge ${state}`}>{state}</span>
                          {row.breaker && row.breaker.consecutiveFailures > 0 ? ` ${row.breaker.consecutiveFailures} failures in a row` : ''}
                        </td>
                        <td>{recent ? `${percent(recent.failed / recent.count)} of ${recent.count}` : '–'}</td>
                        <td>{recent ? ms(recent.latencyP50) : '–'}</td>
                        <td>{ms(row.statistics?.ttftMs)}</td>
                        <td>{ms(row.statistics?.totalMs)}</td>
                        <td>{row.statistics?.outputTokensPerSecond?.toFixed(0) ?? '–'}</td>
                        <td>{row.statistics?.inFlight ?? 0}</td>
                      </tr>
                    );
                  })
                : null}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
