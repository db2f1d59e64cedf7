import { GatewayError, batchesOf, eventBatches, type CanonicalRequest, type EventBatches, type EmbeddingRequest, type EmbeddingResponse, type SecretScrubber, type StreamEvent, type Target } from '../core/index.js';
import type { AttemptContext, ProviderClient } from '../ports/provider-client.js';

function scrubbed(error: unknown, secrets: SecretScrubber): unknown {
  // Upstreams echo the key they were sent ("invalid api key: …"); error messages flow on to clients, logs and records.
  if (error instanceof Error) error.message = secrets.scrub(error.message);
  return error;
}

/** Wraps an upstream client so every error it throws or streams has the configured secrets removed from its message. */
export class ScrubbingProviderClient implements ProviderClient {
  readonly embed?: (request: EmbeddingRequest, target: Target, context: AttemptContext) => Promise<EmbeddingResponse>;

  constructor(
    private readonly inner: ProviderClient,
    private readonly secrets: SecretScrubber,
  ) {
    const embed = inner.embed?.bind(inner);
    if (embed) {
      this.embed = async (request, target, context) => {
        try {
          return await embed(request, target, context);
        } catch (error) {
          throw scrubbed(error, secrets);
        }
      };
    }
  }

  stream(request: CanonicalRequest, target: Target, context: AttemptContext): EventBatches {
    return scrubbedEvents(this.inner.stream(request, target, context), this.secrets);
  }
}

/**
 * The events with every error's message scrubbed, batch by batch: a bare iterator rather than an async generator, so
 * it adds one `then` per upstream chunk where a generator layer adds its own promise and queue traffic per event.
 */
function scrubbedEvents(events: AsyncIterable<StreamEvent>, secrets: SecretScrubber): EventBatches {
  const clean = (result: IteratorResult<readonly StreamEvent[]>): IteratorResult<readonly StreamEvent[]> => {
    if (result.done) return result;
    for (const event of result.value) if (event.type === 'error' && event.error instanceof GatewayError) scrubbed(event.error, secrets);
    return result;
  };
  const fail = (error: unknown): never => {
    throw scrubbed(error, secrets);
  };
  return eventBatches(() => {
    const inner = batchesOf(events);
    return {
      next: () => inner.next().then(clean, fail),
      return: async (value?: unknown) => (inner.return ? inner.return(value).then(clean, fail) : { done: true, value: undefined }),
    };
  });
}
