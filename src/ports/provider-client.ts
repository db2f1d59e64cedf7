import type { CancelSource, CanonicalRequest, EmbeddingRequest, EmbeddingResponse, StreamEvent, Timeouts, Target, Usage } from '../core/index.js';

/** Per-attempt context the engine hands a provider client. */
export interface AttemptContext {
  /** Cancelled when the attempt must stop (client gone, deadline, hedge lost); pass `signal.abortSignal` to fetch-style APIs. */
  signal: CancelSource;
  /**
   * Where the client adds the time it spent waiting on the network or the simulated model (not its own translation
   * work), so `x-switchyard-overhead-ms` counts the gateway's CPU and nothing else.
   */
  wait?: { ms: number };
  /** Called once the upstream's response headers arrived: a first-token timeout before it is a `headers` timeout. */
  responded?(): void;
  timeouts: Timeouts;
  requestId: string;
  /**
   * The caller takes a same-format target's answer as it came: the provider client may then yield `wire` events (with
   * usage, finish and errors still as events) instead of block events, when it can forward this target's answers.
   */
  forwardAnswer?: boolean;
  /**
   * Registers what to run once the attempt's stream is over (ended, failed or closed), with the last usage it carried:
   * a wrapper that holds something for the attempt's life settles it here instead of re-reading every batch. Every
   * registration runs, once, in the order made. Set by the engine on every stream attempt; absent for unary calls
   * (embeddings), which end when their promise does.
   */
  whenDone?: (settle: (usage: Usage | undefined) => void) => void;
}

/**
 * Executes requests against one kind of provider. The stream yields canonical events; errors that happen before the
 * first event (HTTP error statuses, connection failures) are thrown from the iteration as GatewayErrors, errors
 * after it arrive as `error` events or thrown GatewayErrors. Non-streaming requests yield the folded response's events.
 * A client that decodes several events at a time returns them as `EventBatches` (one batch per upstream chunk), which
 * the engine reads a batch at a time; a wrapper that re-yields event by event still works, one event per batch.
 */
export interface ProviderClient {
  stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent>;
  embed?(request: EmbeddingRequest, target: Target, context: AttemptContext): Promise<EmbeddingResponse>;
}
