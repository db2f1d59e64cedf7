import type { RequestRecord, TimelineEntry } from '../api-types';
import { count, ms, usd } from '../format';

/** The picture of one request: skipped targets, each attempt as a bar on the time axis, retry waits, the commit point. */
export function AttemptTimeline({ record, timeline }: { record: RequestRecord; timeline: TimelineEntry[] }) {
  const end = Math.max(record.latencyMs, ...timeline.map((entry) => entry.endMs), 1);
  const at = (value: number): string => `${Math.min(100, Math.max(0, (value / end) * 100))}%`;
  const skipped = (record.routing ?? []).filter((decision) => decision.action === 'skip');
  const usage = record.usage;
  const committed = record.ttftMs;

  return (
    <div className="timeline" data-testid="timeline">
      <div className="timeline-axis">
        <span>0 ms</span>
        <span>{ms(end)}</span>
      </div>
      {skipped.map((decision) => (
        <div className="timeline-row skipped" key={`skip-${decision.providerId}/${decision.model}`}>
          <div className="timeline-label">
            {decision.providerId}/{decision.model}
          </div>
          <div className="timeline-track" />
          <div className="timeline-note">skipped: {decision.reason}</div>
        </div>
      ))}
      {timeline.map((entry) => {
        const waitStart = entry.retryWaitMs ? entry.startMs - entry.retryWaitMs : undefined;
        // Every attempt after the first says how long the gateway waited before it (backoff, retry-after; 0 on failover).
        const ok = entry.outcome === 'ok';
        return (
          <div className="timeline-row" key={entry.index} data-testid="timeline-attempt">
            <div className="timeline-label">
              #{entry.index + 1} {entry.provider}/{entry.model}
            </div>
            <div className="timeline-track">
              {waitStart !== undefined ? (
                <span className="timeline-wait" style={{ left: at(waitStart), width: `calc(${at(entry.startMs)} - ${at(waitStart)})` }} title={`retry wait ${ms(entry.retryWaitMs)}`} />
              ) : null}
              <span
                className={`timeline-bar ${ok ? 'ok' : 'failed'}`}
                style={{ left: at(entry.startMs), width: `max(3px, calc(${at(entry.endMs)} - ${at(entry.startMs)}))` }}
                title={`${ms(entry.startMs)} → ${ms(entry.endMs)}`}
              />
            </div>
            <div className="timeline-note">
              {ok ? 'served' : entry.outcome}
              {entry.status ? ` (HTTP ${entry.status})` : ''}
              {entry.phase ? ` ${entry.phase}` : ''} · {ms(entry.latencyMs)}
              {entry.index > 0 && entry.retryWaitMs !== undefined ? ` · waited ${ms(entry.retryWaitMs)} before` : ''}
            </div>
            {entry.message && !ok ? <div className="timeline-message">{entry.message}</div> : null}
          </div>
        );
      })}
      {committed !== undefined ? (
        <div className="timeline-row">
          <div className="timeline-label">{record.stream ? 'stream committed' : 'first content'}</div>
          <div className="timeline-track">
            <span className="timeline-commit" style={{ left: at(committed) }} />
          </div>
          <div className="timeline-note">
            first content at {ms(committed)}
            {record.stream ? ': nothing reached the client before this, so earlier failures stayed invisible' : ''}
          </div>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {record.status}
          {record.errorCode ? ` ${record.errorCode}` : ''}
        </dd>
        <dt>Total</dt>
        <dd>
          {ms(record.latencyMs)}
          {record.overheadMs !== undefined ? ` (gateway ${ms(record.overheadMs)})` : ''}
        </dd>
        <dt>Tokens</dt>
        <dd>
          {usage
            ? `${count(usage.inputTokens ?? 0)} in · ${count(usage.cacheReadTokens ?? 0)} cache read · ${count(usage.outputTokens ?? 0)} out${usage.reasoningTokens ? ` · ${count(usage.reasoningTokens)} reasoning` : ''}`
            : '–'}
        </dd>
        <dt>Cost</dt>
        <dd>{usd(record.costUsd)}</dd>
        <dt>Finish</dt>
        <dd>{record.finishReason?.unified ?? '–'}</dd>
        {record.cache ? (
          <>
            <dt>Cache</dt>
            <dd>{record.cache}</dd>
          </>
        ) : null}
        {record.taskClass ? (
          <>
            <dt>Task</dt>
            <dd>{record.taskClass}</dd>
          </>
        ) : null}
      </dl>
      {record.errorMessage ? <p className="error">{record.errorMessage}</p> : null}
    </div>
  );
}
