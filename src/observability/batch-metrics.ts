import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './gauge-sources.js';

/** Metrics of batch jobs; label values are fixed by code (line outcomes, job statuses), never from clients. */
export class BatchMetrics {
  private readonly lines: Counter<'outcome'>;
  private readonly cost: Counter;

  constructor(registry: Registry) {
    this.lines = new Counter({
      name: `${METRIC_PREFIX}batch_lines_total`,
      help: 'Batch lines finished, by outcome: completed (answered 200) or failed (error file).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.cost = new Counter({ name: `${METRIC_PREFIX}batch_cost_usd_total`, help: 'What batch lines cost, in US dollars.', registers: [registry] });
  }

  /** A line finished (counted once, by the replica whose result was kept). */
  lineFinished(outcome: 'completed' | 'failed', costUsd: number | undefined): void {
    this.lines.inc({ outcome });
    if (costUsd !== undefined && costUsd > 0) this.cost.inc(costUsd);
  }
}
