import { api, ApiError } from '../api';
import type { AliasOverview, DeploymentStatistics, FeedbackSummaryRow, RoutingOverview } from '../api-types';
import { Empty, ErrorNote, Panel, Stat } from '../components/notes';
import { colorAt, TimeChart } from '../components/time-chart';
import { ms, percent } from '../format';
import { usePoll } from '../use-poll';

interface RoutingData {
  /** Absent when this gateway has no `GET /admin/routing` (older version): the page shows what it can without. */
  overview?: RoutingOverview;
  deployments: DeploymentStatistics[];
  feedback: FeedbackSummaryRow[];
}

async function loadRouting(): Promise<RoutingData> {
  const overview = api<RoutingOverview>('/admin/routing?window=24h').catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  });
  const [routing, statistics, feedback] = await Promise.all([
    overview,
    api<{ deployments: DeploymentStatistics[] }>('/admin/routing/stats'),
    api<{ data: FeedbackSummaryRow[] }>('/admin/feedback/summary?window=24h').catch(() => ({ data: [] })),
  ]);
  return { ...(routing ? { overview: routing } : {}), deployments: statistics.deployments, feedback: feedback.data };
}

/** How an alias's targets moved over time: the bandit's objective per target, else each target's latency. */
function HistoryChart({ alias }: { alias: AliasOverview }) {
  if (alias.history.length < 2) return <p className="muted">History fills in as the gateway runs (one sample per interval).</p>;
  const targets = alias.targets.map((target) => target.target);
  const bandit = alias.bandit !== undefined;
  const points = alias.history.map((sample) => {
    const point: Record<string, number | undefined> = { at: sample.at };
    targets.forEach((target, index) => {
      if (bandit) {
        const weights = sample.weights.filter((weight) => weight.target === target);
        point[`t${index}`] = weights.length > 0 ? Math.max(...weights.map((weight) => weight.objective)) : undefined;
      } else {
        const deployment = sample.deployments.find((entry) => entry.target === target);
        point[`t${index}`] = deployment?.ttftMs ?? deployment?.totalMs;
      }
    });
    return point;
  });
  return (
    <>
      <p className="muted">{bandit ? 'Bandit objective per target (best class), higher is preferred' : 'Latency per target (TTFT, else total), lower is preferred'}</p>
      <TimeChart
        points={points}
        series={targets.map((target, index) => ({ key: `t${index}`, name: target, color: colorAt(index) }))}
        format={bandit ? (value) => value.toFixed(3) : (value) => ms(value)}
      />
    </>
  );
}

function AliasCard({ alias }: { alias: AliasOverview }) {
  return (
    <Panel title={alias.alias} actions={<span className="badge closed">{alias.strategy}</span>}>
      <div className="stats">
        <Stat label="Targets" value={String(alias.targets.length)} />
        <Stat label="Cache hit rate" value={percent(alias.cache.hitRate)} hint={`${alias.cache.hits} hits · ${alias.cache.misses} misses`} />
        {alias.bandit ? <Stat label="Bandit" value={alias.bandit.frozen ? 'frozen' : 'learning'} hint={`metric ${alias.bandit.metric} · exploration ${alias.bandit.exploration}`} /> : null}
      </div>
      <table>
        <thead>
          <tr>
            <th>Target</th>
            <th>Weight</th>
            <th>TTFT (avg)</th>
            <th>Total (avg)</th>
            <th>Tokens/s</th>
            <th>In flight</th>
            <th>Samples</th>
          </tr>
        </thead>
        <tbody>
          {alias.targets.map((target) => (
            <tr key={target.target}>
              <td>{target.target}</td>
              <td>{target.weight ?? '–'}</td>
              <td>{ms(target.statistics?.ttftMs)}</td>
              <td>{ms(target.statistics?.totalMs)}</td>
              <td>{target.statistics?.outputTokensPerSecond?.toFixed(0) ?? '–'}</td>
              <td>{target.statistics?.inFlight ?? 0}</td>
              <td>{target.statistics?.samples ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {alias.bandit && alias.bandit.classes.length > 0 ? (
        <table data-testid="bandit-weights">
          <thead>
            <tr>
              <th>Task class</th>
              <th>Target</th>
              <th>Quality (posterior)</th>
              <th>Observations</th>
              <th>Objective</th>
            </tr>
          </thead>
          <tbody>
            {alias.bandit.classes.flatMap((entry) =>
              entry.weights.map((weight, index) => (
                <tr key={`${entry.taskClass}-${weight.target}`}>
                  <td>{index === 0 ? entry.taskClass : ''}</td>
                  <td>{weight.target}</td>
                  <td>{weight.quality.toFixed(3)}</td>
                  <td>{weight.observations.toFixed(1)}</td>
                  <td>{weight.objective.toFixed(3)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      ) : null}
      <HistoryChart alias={alias} />
      {alias.feedback.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Feedback: target</th>
              <th>Task class</th>
              <th>Metric</th>
              <th>Count</th>
              <th>Mean score</th>
            </tr>
          </thead>
          <tbody>
            {alias.feedback.map((row) => (
              <tr key={`${row.target}-${row.taskClass}-${row.metric}`}>
                <td>{row.target}</td>
                <td>{row.taskClass}</td>
                <td>{row.metric}</td>
                <td>{row.count}</td>
                <td>{row.meanScore.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No feedback on this alias in the last 24 hours; rate answers on the Compare page or POST /v1/feedback.</p>
      )}
    </Panel>
  );
}

/** Each alias with its strategy, targets, live weights and their history, feedback and cache hit rate. */
export function RoutingPage() {
  const { data, error } = usePoll(loadRouting, 'routing');
  const overview = data?.overview;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Routing</h1>
        {overview ? <span className="muted">response cache hit rate {percent(overview.cache.hitRate)} ({overview.cache.hits} hits, {overview.cache.misses} misses since start)</span> : null}
      </div>
      <ErrorNote error={error} />
      {overview && overview.aliases.length === 0 ? (
        <Empty title="No aliases configured.">Add a model alias under <code>models:</code> in the config (see docs/routing.md); models called as provider/model route directly.</Empty>
      ) : null}
      {overview?.aliases.map((alias) => <AliasCard key={alias.alias} alias={alias} />)}
      {data && !overview ? (
        <>
          <Empty title="This gateway does not report aliases and weights (no GET /admin/routing).">Below: what it measures per deployment and the feedback it has.</Empty>
          <Panel title="Deployments">
            <table>
              <thead>
                <tr>
                  <th>Deployment</th>
                  <th>TTFT (avg)</th>
                  <th>Total (avg)</th>
                  <th>In flight</th>
                  <th>Samples</th>
                </tr>
              </thead>
              <tbody>
                {data.deployments.map((row) => (
                  <tr key={`${row.provider}/${row.model}`}>
                    <td>
                      {row.provider}/{row.model}
                    </td>
                    <td>{ms(row.ttftMs)}</td>
                    <td>{ms(row.totalMs)}</td>
                    <td>{row.inFlight}</td>
                    <td>{row.samples}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </>
      ) : null}
      {data && !overview && data.feedback.length > 0 ? (
        <Panel title="Feedback per target and task class (24 hours)">
          <table>
            <thead>
              <tr>
                <th>Model asked</th>
                <th>Target</th>
                <th>Task class</th>
                <th>Metric</th>
                <th>Count</th>
                <th>Mean</th>
              </tr>
            </thead>
            <tbody>
              {data.feedback.map((row) => (
                <tr key={`${row.requestedModel}-${row.provider}/${row.model}-${row.taskClass}-${row.metric}`}>
                  <td>{row.requestedModel}</td>
                  <td>
                    {row.provider}/{row.model}
                  </td>
                  <td>{row.taskClass}</td>
                  <td>{row.metric}</td>
                  <td>{row.count}</td>
                  <td>{row.meanScore.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      ) : null}
    </div>
  );
}
