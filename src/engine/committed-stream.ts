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
  return eventBatches(() => new CommittedBatches(winner, context));
}

type Batch = readonly StreamEvent[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The committed stream as a bare iterator: while the attempt streams, each read is one `then` on the attempt's next
 * batch, with no generator layer; a failure hands over to `afterFailure`, which records it and ends or resumes the
 * stream. Whichever way it ends (finished, failed, closed early by the reader), the run is released once; a stream
 * the reader stops before its end is closed, which aborts the upstream call.
 */
class CommittedBatches implements AsyncIterator<Batch> {
  /**
   * What the client has been sent, kept only when the route may resume the stream elsewhere: it holds the whole text
   * of the answer, which every other stream would carry for nothing until its end.
   */
  private readonly partial: PartialOutput | undefined;
  /** What was buffered up to the commit point and the rest of its chunk: they leave together, as the chunk came. */
  private first: Batch | undefined;
  /** A failure found in a batch whose earlier events are being delivered first. */
  private failure: GatewayError | undefined;
  private tail: AsyncGenerator<Batch> | undefined;
  private started = false;
  /** The attempt's stream ended or failed: nothing is left to close. */
  private ended = false;
  private released = false;

  constructor(
    private readonly winner: CommittableAttempt,
    private readonly context: CommittedStreamContext,
  ) {
    const held = winner.stream.takeHeld();
    this.first = held === undefined ? winner.buffered : winner.buffered.concat(held);
    this.partial = context.plan.route.resumeOnStall ? new PartialOutput() : undefined;
  }

  next(): Promise<IteratorResult<Batch>> {
    this.started = true;
    if (this.tail) return this.tail.next();
    if (this.failure) return this.fail(this.failure);
    if (this.released) return Promise.resolve(DONE);
    const first = this.first;
    if (first !== undefined) {
      this.first = undefined;
      return Promise.resolve(this.deliver(first));
    }
    return this.winner.stream.nextBatch().then(this.received, this.broke);
  }

  return(value?: unknown): Promise<IteratorResult<Batch>> {
    if (this.tail) return this.tail.return(value);
    // Like a generator, a stream never read has nothing to give back yet.
    if (this.started) this.release();
    return Promise.resolve(DONE);
  }

  private readonly received = (batch: Batch | undefined): IteratorResult<Batch> | Promise<IteratorResult<Batch>> => {
    if (batch === undefined) {
      this.ended = true;
      this.release();
      return DONE;
    }
    return this.deliver(batch);
  };

  private readonly broke = (error: unknown): Promise<IteratorResult<Batch>> =>
    this.fail(error instanceof GatewayError ? error : new GatewayError('internal_error', 'stream failed'));

  /** The batch up to its first `error` event, if any; the error itself is taken up on the next read (or now). */
  private deliver(batch: Batch): IteratorResult<Batch> | Promise<IteratorResult<Batch>> {
    const failedAt = batch.findIndex((event) => event.type === 'error');
    const delivered = failedAt === -1 ? batch : batch.slice(0, failedAt);
    if (this.partial) for (const event of delivered) this.partial.observe(event);
    const failed = batch[failedAt];
    if (failed?.type === 'error') {
      if (delivered.length === 0) return this.fail(failed.error);
      this.failure = failed.error;
    }
    return delivered.length > 0 ? { done: false, value: delivered } : this.next();
  }

  private fail(failure: GatewayError): Promise<IteratorResult<Batch>> {
    this.ended = true;
    this.failure = undefined;
    this.tail = afterFailure(this.winner, this.context, this.partial, failure, () => this.release());
    return this.tail.next();
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    if (!this.ended) this.winner.stream.close();
    this.context.release();
  }
}

/** Records a failure after commit, then ends the stream with it — or resumes it elsewhere when the route allows. */
async function* afterFailure(
  winner: CommittableAttempt,
  context: CommittedStreamContext,
  /** Present only when the route resumes on stall. */
  partial: PartialOutput | undefined,
  failure: GatewayError,
  release: () => void,
): AsyncGenerator<Batch> {
  try {
    winner.failedAfterCommit(failure);
    // A deployment that keeps failing mid-stream must trip its breaker like one that fails before the first token.
    context.engine.deps.breakers.record(winner.target, failure.code, context.plan.route.breaker);
    if (partial && failure.code !== 'client_closed' && failure.retryable && partial.resumable()) {
      const resumed = yield* resumeElsewhere(winner, context, partial, failure);
      if (resumed) return;
    }
    yield [{ type: 'error', error: failure }];
  } finally {
    release();
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
