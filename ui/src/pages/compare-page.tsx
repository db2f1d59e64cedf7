import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createParser } from 'eventsource-parser';
import { api, apiStream } from '../api';
import type { Comparison, ComparisonLeg } from '../api-types';
import { Empty, ErrorNote, Panel } from '../components/notes';
import { count, ms, time, usd } from '../format';
import { usePoll } from '../use-poll';

/** A leg as the page shows it: streamed text so far, and the result once the leg ends. */
interface LegView {
  model: string;
  text: string;
  result?: ComparisonLeg;
}

/** The model names `/v1/models` lists (empty when the gateway requires a virtual key for it). */
async function listModels(): Promise<string[]> {
  const response = await fetch('/v1/models');
  if (!response.ok) return [];
  const body = (await response.json()) as { data?: Array<{ id?: unknown }> };
  return (body.data ?? []).map((model) => model.id).filter((id): id is string => typeof id === 'string');
}

function Rating({ requestId }: { requestId: string }) {
  const [score, setScore] = useState<number>();
  const [error, setError] = useState<Error>();
  async function rate(value: number): Promise<void> {
    try {
      await api('/admin/feedback', { body: { request_id: requestId, metric: 'quality', score: value } });
      setScore(value);
      setError(undefined);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }
  return (
    <div className="rating">
      <span>Rate:</span>
      {[1, 0.5, 0].map((value) => (
        <button key={value} type="button" className={score === value ? 'chosen' : 'secondary'} onClick={() => void rate(value)} aria-label={`Rate ${value}`}>
          {value === 1 ? 'Good' : value === 0 ? 'Bad' : 'OK'}
        </button>
      ))}
      {score !== undefined ? <span className="muted">saved as feedback (quality {score})</span> : null}
      <ErrorNote error={error} />
    </div>
  );
}

function LegCard({ leg }: { leg: LegView }) {
  const result = leg.result;
  return (
    <div className="leg" data-testid="compare-leg">
      <header>
        <strong>{leg.model}</strong>
        {result?.provider ? <span className="muted"> via {result.provider}/{result.served_model}</span> : null}
      </header>
      <pre className="output">{result?.output ?? leg.text}{result ? '' : '▍'}</pre>
      {result?.error ? <p className="error">{result.error.message} ({result.error.code})</p> : null}
      {result ? (
        <>
          <dl className="facts">
            <dt>TTFT</dt>
            <dd>{ms(result.ttft_ms)}</dd>
            <dt>Latency</dt>
            <dd>{ms(result.latency_ms)}</dd>
            <dt>Tokens</dt>
            <dd>
              {count(result.usage?.input_tokens ?? 0)} in · {count(result.usage?.output_tokens ?? 0)} out
            </dd>
            <dt>Cost</dt>
            <dd>{usd(result.cost_usd)}</dd>
          </dl>
          {result.error ? null : <Rating requestId={result.request_id} />}
        </>
      ) : null}
    </div>
  );
}

/** Type a prompt, pick models, watch the answers stream side by side, rate them; past comparisons below. */
export function ComparePage() {
  const [models, setModels] = useState<string[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [extra, setExtra] = useState('');
  const [prompt, setPrompt] = useState('');
  const [maxTokens, setMaxTokens] = useState(256);
  const [legs, setLegs] = useState<LegView[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<Error>();
  const abort = useRef<AbortController | undefined>(undefined);
  const history = usePoll(() => api<{ data: Comparison[] }>('/admin/comparisons?limit=20'), 'comparisons', 0);

  useEffect(() => {
    void listModels().then((names) => {
      setModels(names);
      setChosen(names.filter((name) => name === 'simulated/echo' || name === 'simulated/lorem'));
    });
    return () => abort.current?.abort();
  }, []);

  const picked = [...chosen, ...extra.split(',').map((name) => name.trim()).filter(Boolean)];

  async function run(event: FormEvent): Promise<void> {
    event.preventDefault();
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setError(undefined);
    setLegs(picked.map((model) => ({ model, text: '' })));
    try {
      const response = await apiStream(
        '/admin/compare',
        { models: picked, stream: true, max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] },
        controller.signal,
      );
      const parser = createParser({
        onEvent(message) {
          const data: unknown = JSON.parse(message.data);
          if (message.event === 'delta') {
            const { leg, text } = data as { leg: number; text: string };
            setLegs((current) => current.map((view, index) => (index === leg ? { ...view, text: view.text + text } : view)));
          } else if (message.event === 'leg') {
            const result = data as ComparisonLeg;
            setLegs((current) => current.map((view, index) => (index === result.leg ? { ...view, result } : view)));
          } else if (message.event === 'done') {
            history.reload();
          }
        },
      });
      const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const chunk = await reader?.read();
        if (!chunk || chunk.done) break;
        parser.feed(chunk.value);
      }
    } catch (failure) {
      if (!controller.signal.aborted) setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setRunning(false);
    }
  }

  function show(comparison: Comparison): void {
    setLegs(comparison.legs.map((leg) => ({ model: leg.model, text: leg.output ?? '', result: leg })));
    const request = comparison.request as { messages?: Array<{ content?: unknown }> };
    const first = request.messages?.[0]?.content;
    if (typeof first === 'string') setPrompt(first);
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>Compare</h1>
      </div>
      <form className="compare-form" onSubmit={(event) => void run(event)}>
        <textarea placeholder="Type a prompt" aria-label="Prompt" value={prompt} onChange={(event) => setPrompt(event.target.value)} rows={4} required />
        <fieldset>
          <legend>Models</legend>
          {models.length === 0 ? <span className="muted">The model list is not available; type model names below.</span> : null}
          {models.map((name) => (
            <label key={name} className="check">
              <input
                type="checkbox"
                checked={chosen.includes(name)}
                onChange={(event) => setChosen(event.target.checked ? [...chosen, name] : chosen.filter((other) => other !== name))}
              />
              {name}
            </label>
          ))}
          <input placeholder="more models, comma separated" aria-label="More models" value={extra} onChange={(event) => setExtra(event.target.value)} />
        </fieldset>
        <label className="inline">
          max tokens
          <input type="number" min={1} max={32000} value={maxTokens} onChange={(event) => setMaxTokens(Number(event.target.value))} />
        </label>
        <button type="submit" disabled={running || picked.length === 0 || picked.length > 8 || prompt.trim() === ''}>
          {running ? 'Running…' : `Compare ${picked.length} model${picked.length === 1 ? '' : 's'}`}
        </button>
        {picked.length > 8 ? <span className="error">At most 8 models.</span> : null}
      </form>
      <ErrorNote error={error} />
      {legs.length > 0 ? (
        <div className="legs" style={{ gridTemplateColumns: `repeat(${Math.min(legs.length, 4)}, minmax(0, 1fr))` }}>
          {legs.map((leg, index) => (
            <LegCard key={`${index}-${leg.model}`} leg={leg} />
          ))}
        </div>
      ) : null}
      <Panel title="Past comparisons">
        <ErrorNote error={history.error} />
        {history.data && history.data.data.length === 0 ? (
          <Empty title="No comparisons yet.">Type a prompt above, pick two or more models and press Compare.</Empty>
        ) : (
          <table className="clickable" data-testid="comparisons">
            <thead>
              <tr>
                <th>When</th>
                <th>Models</th>
                <th>Fastest</th>
                <th>Cheapest</th>
              </tr>
            </thead>
            <tbody>
              {history.data?.data.map((comparison) => {
                const done = comparison.legs.filter((leg) => !leg.error);
                const fastest = [...done].sort((a, b) => a.latency_ms - b.latency_ms)[0];
                const cheapest = [...done].filter((leg) => leg.cost_usd !== undefined).sort((a, b) => (a.cost_usd ?? 0) - (b.cost_usd ?? 0))[0];
                return (
                  <tr key={comparison.id} onClick={() => show(comparison)}>
                    <td>{time(comparison.created_at)}</td>
                    <td>{comparison.models.join(', ')}</td>
                    <td>{fastest ? `${fastest.model} (${ms(fastest.latency_ms)})` : '–'}</td>
                    <td>{cheapest ? `${cheapest.model} (${usd(cheapest.cost_usd)})` : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
