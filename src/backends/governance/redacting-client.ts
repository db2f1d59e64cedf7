import type { ProviderPolicy } from '../../config/gateway-config.js';
import { boundText, droppedParameter, type CanonicalRequest, type StreamEvent, type Target } from '../../core/index.js';
import { promptRedactedWarning, redactEmbeddingInput, redactPrompt } from '../../limits/redact-prompt.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';

/**
 * Applies a provider's `redact` patterns to the prompt, or the embeddings input, it receives, with a `prompt_redacted`
 * warning saying how much.
 */
export function redactingClient(inner: ProviderClient, policies: () => ReadonlyMap<string, ProviderPolicy>): ProviderClient {
  const client: ProviderClient = {
    stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      // Without rules the stream is passed on as it is: nothing to redact, and no count map made per attempt.
      const rules = policies().get(target.provider.id)?.redact;
      if (rules === undefined || rules.length === 0) return inner.stream(request, target, context);
      const { request: redacted, counts } = redactPrompt(request, rules);
      if (counts.size === 0) return inner.stream(request, target, context);
      const warning = promptRedactedWarning(target.provider.id, counts);
      // The client's betas travel only with its own body, which a redacted request no longer carries: say so.
      const betas = request.passthrough?.headers?.['anthropic-beta'];
      return (async function* withWarning(): AsyncIterable<StreamEvent> {
        yield { type: 'warning', warning };
        if (betas !== undefined) {
          const why = `the request was rebuilt from the redacted prompt, and the client's betas (${boundText(betas, 300)}) travel only with its own body`;
          yield { type: 'warning', warning: droppedParameter('anthropic-beta', target.provider.id, why) };
        }
        yield* inner.stream(redacted, target, context);
      })();
    },
  };
  const embed = inner.embed?.bind(inner);
  if (embed) {
    client.embed = async (request, target, context) => {
      const rules = policies().get(target.provider.id)?.redact;
      if (rules === undefined || rules.length === 0) return embed(request, target, context);
      const { request: redacted, counts } = redactEmbeddingInput(request, rules);
      if (counts.size === 0) return embed(request, target, context);
      const response = await embed(redacted, target, context);
      return { ...response, warnings: [...(response.warnings ?? []), promptRedactedWarning(target.provider.id, counts)] };
    };
  }
  return client;
}
