import { CancelSource, GatewayError, batchesOf, type Clock, type StreamEvent, type Usage } from '../core/index.js';
import { attemptFailure } from './undici-errors.js';

/**
 * One upstream attempt's event stream under a watchdog: the first content must arrive within `firstTokenMs`, later
 * events within `stallMs` of each other. Read a batch at a time (the events of one upstream chunk, which arrive
 * together), so the watchdog is refreshed and an async step taken once per chunk. One timer per attempt. The time
 * spent waiting on the upstream is accumulated for the overhead metric.
 */
export class AttemptStream {
  readonly controller = new CancelSource();
  /** Time the provider client spent waiting on its upstream, which it adds up itself. */
  private readonly wait = { ms: 0 };
  private readonly iterator: AsyncIterator<readonly StreamEvent[]>;
  /** Events of a batch the attempt runner read past its commit point, handed out before the next upstream read. */
  private held: readonly StreamEvent[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private phase: 'first-token' | 'streaming' = 'first-token';
  private responded = false;
  private finished = false;
  /** Whether the consumer is waiting on the upstream right now; time the consumer holds an event is not a stall. */
  private waiting = false;
  /** The stall deadline passed while the consumer (a client not reading) held the stream; it restarts on resume. */
  private stallDeferred = false;
  /** What the provider client asked to run when the attempt is over (`AttemptContext.whenDone`), and the usage seen. */
  private onDone: ((usage: Usage | undefined) => void) | undefined;
  private usage: Usage | undefined;

  constructor(
    source: (signal: CancelSource, wait: { ms: number }, responded: () => void, whenDone: (settle: (usage: Usage | undefined) => void) => void) => AsyncIterable<StreamEvent>,
    private readonly providerId: string,
    private readonly limits: { firstTokenMs: number; stallMs: number; deadlineFirst: boolean },
    private readonly clock: Clock,
  ) {
    this.iterator = batchesOf(
      source(
        this.controller,
        this.wait,
        () => {
          this.responded = true;
        },
        (settle) => {
          // Every registration runs, in order: more than one wrapper may hold something for the attempt.
          const before = this.onDone;
          this.onDone = before
            ? (usage) => {
                before(usage);
                settle(usage);
              }
            : settle;
        },
      ),
    );
    this.arm(limits.firstTokenMs, () => this.firstTokenExpired());
  }

  /** The first-token watchdog's failure names the deadline actually hit: the total, the headers, or the first token. */
  private firstTokenExpired(): GatewayError {
    const { providerId, limits } = this;
    if (limits.deadlineFirst) {
      return new GatewayError('upstream_timeout', `${providerId}: total deadline reached before the first token`, { provider: providerId, phase: 'total' });
    }
    if (!this.responded) {
      return new GatewayError('upstream_timeout', `${providerId}: no response headers within first_token_ms (${limits.firstTokenMs} ms)`, { provider: providerId, phase: 'headers' });
    }
    return new GatewayError('upstream_timeout', `${providerId}: no first token within ${limits.firstTokenMs} ms`, { provider: providerId, phase: 'first_token' });
  }

  /** Switches the watchdog from the first-token deadline to the inter-chunk stall deadline. */
  committed(): void {
    if (this.phase === 'streaming') return;
    this.phase = 'streaming';
    const { stallMs } = this.limits;
    this.arm(stallMs, () => new GatewayError('upstream_stalled', `${this.providerId}: stream stalled for ${stallMs} ms`, { provider: this.providerId, phase: 'stall' }));
  }

  /** Milliseconds spent waiting on the upstream so far. */
  get upstreamMs(): number {
    return this.wait.ms;
  }

  /**
   * The next batch of events (never empty), or undefined at the end; transport failures and watchdog expiry throw
   * GatewayErrors. Not an async function: one `then` on the source per batch, no promise and await of its own.
   */
  nextBatch(): Promise<readonly StreamEvent[] | undefined> {
    const held = this.held;
    if (held !== undefined) {
      this.held = undefined;
      return Promise.resolve(held);
    }
    this.waiting = true;
    if (this.stallDeferred) {
      this.stallDeferred = false;
      this.timer?.refresh();
    }
    return this.iterator.next().then(this.received, this.failed);
  }

  private readonly received = (result: IteratorResult<readonly StreamEvent[]>): readonly StreamEvent[] | undefined | Promise<readonly StreamEvent[] | undefined> => {
    this.waiting = false;
    if (result.done) {
      this.finish();
      return undefined;
    }
    if (result.value.length === 0) return this.nextBatch();
    if (this.phase === 'streaming') this.timer?.refresh();
    if (this.onDone) for (const event of result.value) if (event.type === 'usage') this.usage = event.usage;
    return result.value;
  };

  private readonly failed = (error: unknown): never => {
    this.waiting = false;
    this.finish();
    throw attemptFailure(error, this.providerId, this.controller);
  };

  /** Keeps the rest of a batch read past the commit point; `nextBatch` returns it first. */
  holdBack(events: readonly StreamEvent[]): void {
    if (events.length > 0) this.held = events;
  }

  /** Takes what `holdBack` kept, if anything, so the committed stream can send it with what was buffered before it. */
  takeHeld(): readonly StreamEvent[] | undefined {
    const held = this.held;
    this.held = undefined;
    return held;
  }

  /** Aborts the upstream call with a reason (client gone, total deadline); the pending `nextBatch()` throws it. */
  abort(reason: GatewayError): void {
    if (!this.finished) this.controller.abort(reason);
  }

  /** Stops the attempt: clears the watchdog and aborts the upstream call if it is still running. */
  close(): void {
    if (this.finished) return;
    this.finish();
    this.controller.abort(new GatewayError('client_closed', 'attempt closed'));
    void this.iterator.return?.().catch(() => undefined);
  }

  private finish(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    const done = this.onDone;
    if (done) {
      this.onDone = undefined;
      done(this.usage);
    }
  }

  private arm(ms: number, expired: () => GatewayError): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.phase === 'streaming' && !this.waiting) {
        this.stallDeferred = true;
        return;
      }
      this.controller.abort(expired());
    }, ms);
    this.timer.unref();
  }
}
