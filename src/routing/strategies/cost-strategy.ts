import { costOfUsage } from '../../catalog/index.js';
import type { Target } from '../../core/index.js';
import { describeLatency, relevantLatencyMs, statisticsOf, type RankedTarget, type StrategyInput } from './ranked-target.js';

/** The token counts a request is priced with before it runs. */
export interface RequestEstimate {
  /** Prompt tokens by the local tokenizer. */
  inputTokens: number;
  /** `max_tokens` when the client gave one, else the route's `expected_output_tokens`. */
  outputTokens: number;
  /** The request asks for reasoning (thinking), so models that cannot reason rank last. */
  reasoning: boolean;
}

interface Priced {
  target: Target;
  index: number;
  cost: number | undefined;
  latency: number | undefined;
  gap?: string;
}

function compareLatency(a: number | undefined, b: number | undefined): number {
  return (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY) || 0;
}

function comparePriced(a: Priced, b: Priced): number {
  if ((a.gap === undefined) !== (b.gap === undefined)) return a.gap === undefined ? -1 : 1;
  if ((a.cost === undefined) !== (b.cost === undefined)) return a.cost === undefined ? 1 : -1;
  const byCost = (a.cost ?? 0) - (b.cost ?? 0);
  if (byCost !== 0) return byCost;
  return compareLatency(a.latency, b.latency) || a.index - b.index;
}

function usd(cost: number): string {
  return `$${cost.toPrecision(3)}`;
}

/**
 * Cheapest first: each target's estimated cost is the catalogue price of its disjoint usage buckets for the request's
 * estimated input and expected output; equal costs go to the lower recent latency. Targets without a known price, or
 * lacking reasoning the request asks for, follow as fallbacks. Unhealthy targets are skipped later by their breakers.
 */
export function rankByCost(input: StrategyInput, estimate: RequestEstimate): RankedTarget[] {
  const usage = { inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens };
  const priced: Priced[] = input.targets.map((target, index) => {
    const price = target.info?.price;
    const entry: Priced = {
      target,
      index,
      cost: price ? costOfUsage(usage, price) : undefined,
      latency: relevantLatencyMs(statisticsOf(input, target), input.stream),
    };
    if (estimate.reasoning && target.info?.capabilities.reasoning === false) entry.gap = 'no reasoning support';
    return entry;
  });
  const sorted = [...priced].sort(comparePriced);
  const tokens = `est. ${estimate.inputTokens} in + ${estimate.outputTokens} out`;
  return sorted.map((entry, position) => {
    if (entry.gap) return { target: entry.target, reason: `cost: ${entry.gap}` };
    if (entry.cost === undefined) return { target: entry.target, reason: 'cost: price unknown' };
    const tied = sorted.some((other) => other !== entry && other.gap === undefined && other.cost === entry.cost);
    const tie = tied ? `; tie broken by latency (${describeLatency(statisticsOf(input, entry.target), input.stream)})` : '';
    const rank = position === 0 ? 'cheapest' : `#${position + 1}`;
    return { target: entry.target, reason: `cost: ${rank}, ~${usd(entry.cost)} (${tokens})${tie}` };
  });
}
