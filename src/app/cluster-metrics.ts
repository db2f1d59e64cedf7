import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** A worker's request for the whole gateway's metrics, and the primary's answer. */
interface MetricsRequest {
  switchyard: 'metrics-request';
  id: number;
}
interface MetricsAnswer {
  switchyard: 'metrics-answer';
  id: number;
  text?: string;
  error?: string;
}

function isMetricsRequest(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as { switchyard?: unknown }).switchyard === 'metrics-request';
}

function isMetricsAnswer(message: unknown): message is MetricsAnswer {
  return typeof message === 'object' && message !== null && (message as { switchyard?: unknown }).switchyard === 'metrics-answer';
}

/**
 * In the primary of a multi-worker run: answers a worker's request for metrics with every worker's metrics merged
 * (prom-client's AggregatorRegistry: counters and histograms summed, gauges by their own aggregator).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsRequest(message)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ switchyard: 'metrics-answer', id: message.id, text } satisfies MetricsAnswer),
      (error: unknown) => worker.send({ switchyard: 'metrics-answer', id: message.id, error: String(error) } satisfies MetricsAnswer),
    );
  });
}

/**
 * In a worker: offers `registry` to the primary's aggregation and returns the function that renders the whole
 * gateway's metrics, so a scrape answered by any one worker counts the requests every worker served.
 */
export function joinClusterMetrics(registry: Registry): () => Promise<string> {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing it installs the worker's listener for the primary's collection requests.
  new AggregatorRegistry();
  let nextId = 0;
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void }>();
  process.on('message', (message: unknown) => {
    if (!isMetricsAnswer(message)) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(`cluster metrics: ${message.error}`));
    else waiter?.resolve(message.text ?? '');
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      process.send?.({ switchyard: 'metrics-request', id } satisfies MetricsRequest);
    });
}
