import { GatewayError, type CanonicalRequest, type EmbeddingRequest, type EmbeddingResponse, type SecretScrubber, type StreamEvent, type Target } from '../core/index.js';
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

  async *stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
    try {
      for await (const event of this.inner.stream(request, target, context)) {
        if (event.type === 'error' && event.error instanceof GatewayError) scrubbed(event.error, this.secrets);
        yield event;
      }
    } catch (error) {
      throw scrubbed(error, this.secrets);
    }
  }
}
