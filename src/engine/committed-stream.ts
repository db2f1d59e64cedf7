import { GatewayError, eventBatches, type AttemptRecord, type EventBatches, type CanonicalRequest, type StreamEvent, type Target, type Usage } from '../core/index.js';
import type { RoutePlan } from '../routing/resolve-route.js';
import { countTextTokens, TOKENS_PER_MESSAGE } from '../routing/token-count/index.js';
import type { CommittableAttempt } from './attempt-runner.js';
import type { Engine, ExecuteOptions } from './engine.js';

/** What the committed stream needs to resume elsewhere after a failure. */
export interface CommittedStreamContext {
  request: CanonicalRequest;
  plan: RoutePlan;
  engine: Engine;
  options: ExecuteOptions;
  /** When the request began on the engine's clock; a continuation keeps counting from it. */
  startedAt: number;
  /** The execution's attempt list; a resumption lists its attempts here. */
  attempts: AttemptRecord[];
  /** Releases the request's deadline timer once the stream is over. */
  release(): void;
  /** Hands over the continuation's upstream wait, so the time spent on the next target is not counted as overhead. */
  resumedOn(upstreamMs: () => number): void;
}

/** Tracks what the client has been sent, to decide whether and how a failed stream can be resumed. */
class PartialOutput {
  text = '';
  openTextBlock: string | undefined;
  nonText = false;
  finished = false;

  observe(event: StreamEvent): void {
    switch (event.type) {
      case 'text-start':
        this.openTextBlock = event.blockId;
        return;
      case 'text-delta':
        this.text += event.text;
        return;
      case 'text-end':
        this.openTextBlock = undefined;
        return;
      case 'tool-input-start':
      case 'reasoning-start':
        this.nonText = true;
        return;
      case 'finish':
        this.finished = true;
        return;
      default:
        return;
    }
  }

  resumable(): boolean {
    return !this.finished && !this.nonText && this.text !== '';
  }
}

/**
 * The committed attempt's events from the commit point on, a batch (one upstream chunk's events) at a time. A failure
 * after commit ends the stream with an explicit `error` event — or, when the route enables `resume_on_stall`,
 * continues on the next target by sending the partial output back as an assistant prefix and streaming the rest into
 * the same text block.
 */
export function continueCommittedStream(winner: CommittableAttempt, context: CommittedStreamContext): EventBatches {
  return eventBatches(() => committedBatches(winner, context));
}

async function* committedBatches(winner: CommittableAttempt, context: CommittedStreamContext): AsyncGenerator<readonly StreamEvent[]> {
  const { stream } = winner;
  const partial = new PartialOutput();
  let ended = false;
  try {
    for (const event of winner.buffered) partial.observe(event);
    if (winner.buffered.length > 0) yield winner.buffered;
    let failure: GatewayError | undefined;
    for (;;) {
      let batch: readonly StreamEvent[] | undefined;
      try {
        batch = await stream.nextBatch();
      } catch (error) {
        failure = error instanceof GatewayError ? error : new GatewayError('internal_error', 'stream failed');
        break;
      }
      if (batch === undefined) {
        ended = true;
        return;
      }
      const failedAt = batch.findIndex((event) => event.type === 'error');
      const delivered = failedAt === -1 ? batch : batch.slice(0, failedAt);
      for (const event of delivered) partial.observe(event);
      if (delivered.length > 0) yield delivered;
      const failed = batch[failedAt];
      if (failed?.type === 'error') {
        failure = failed.error;
        break;
      }
    }
    ended = true;
    winner.failedAfterCommit(failure);
    // A deployment that keeps failing mid-stream must trip its breaker like one that fails before the first token.
    await context.engine.deps.breakers.record(winner.target, failure.code, context.plan.route.breaker);
    if (failure.code !== 'client_closed' && context.plan.route.resumeOnStall && failure.retryable && partial.resumable()) {
      const resumed = yield* resumeElsewhere(winner, context, partial, failure);
      if (resumed) return;
    }
    yield [{ type: 'error', error: failure }];
  } finally {
    if (!ended) stream.close();
    context.release();
  }
}

async function* resumeElsewhere(
  winner: CommittableAttempt,
  context: CommittedStreamContext,
  partial: PartialOutput,
  failure: GatewayError,
): AsyncGenerator<readonly StreamEvent[], boolean> {
  const rest = context.plan.targets.filter((target) => target !== winner.target);
  if (rest.length === 0) return false;
  const request: CanonicalRequest = {
    ...context.request,
    messages: [...context.request.messages, { role: 'assistant', content: [{ type: 'text', text: partial.text }] }],
  };
  delete request.passthrough;
  // What was already streamed counts against the client's limit: the continuation may only generate the rest.
  const partialTokens = countTextTokens(partial.text, winner.target);
  if (request.maxOutputTokens !== undefined) request.maxOutputTokens = Math.max(1, request.maxOutputTokens - partialTokens);
  const plan: RoutePlan = { ...context.plan, targets: rest, route: { ...context.plan.route, resumeOnStall: false } };
  let execution;
  try {
    // The resumed run lists its attempts on this execution's record, the failed ones too.
    execution = await context.engine.execute(request, plan, { ...context.options, attempts: context.attempts, startedAt: context.startedAt });
  } catch {
    return false;
  }
  context.resumedOn(execution.upstreamMs);
  const usageOf = continuationUsage(partialTokens, partial.text, execution.target);
  yield [
    {
      type: 'warning',
      warning: {
        code: 'stream_resumed',
        message: `${winner.target.provider.id}/${winner.target.model} failed mid-stream (${failure.code}); resumed on ${execution.target.provider.id}/${execution.target.model}`,
      },
    },
  ];
  const joined = new Map<string, string>();
  for await (const event of execution.events) {
    if (event.type === 'response-start') continue;
    if (event.type === 'text-start' && partial.openTextBlock !== undefined && joined.size === 0) {
      joined.set(event.blockId, partial.openTextBlock);
      continue;
    }
    if (event.type === 'usage') {
      yield [{ type: 'usage', usage: usageOf(event.usage) }];
      continue;
    }
    if ('blockId' in event) {
      const blockId = joined.get(event.blockId) ?? `resumed-${event.blockId}`;
      yield [{ ...event, blockId }];
      continue;
    }
    yield [event];
  }
  return true;
}

/**
 * The client's usage for a resumed answer: the continuation's prompt minus the partial output it was given back (the
 * client sent no such prompt), and its output plus the partial output the first target generated.
 */
function continuationUsage(partialTokens: number, partialText: string, served: Target): (usage: Usage) => Usage {
  const prefixTokens = countTextTokens(partialText, served) + TOKENS_PER_MESSAGE;
  return (usage) => {
    const adjusted: Usage = { ...usage };
    if (usage.inputTokens !== undefined) adjusted.inputTokens = Math.max(0, usage.inputTokens - prefixTokens);
    if (usage.outputTokens !== undefined) adjusted.outputTokens = usage.outputTokens + partialTokens;
    return adjusted;
  };
}
