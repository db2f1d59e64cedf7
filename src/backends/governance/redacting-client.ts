import type { ProviderPolicy } from '../../config/gateway-config.js';
import type { CanonicalRequest, StreamEvent, Target } from '../../core/index.js';
import { redactPrompt } from '../../limits/redact-prompt.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';

/** Applies a provider's `redact` patterns to the prompt it receives, with a `prompt_redacted` warning saying how much. */
export function redactingClient(inner: ProviderClient, policies: () => ReadonlyMap<string, ProviderPolicy>): ProviderClient {
  const client: ProviderClient = {
    stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      // Without rules the stream is passed on as it is: nothing to redact, and no count map made per attempt.
      const rules = policies().get(target.provider.id)?.redact;
      if (rules === undefined || rules.length === 0) return inner.stream(request, target, context);
      const { request: redacted, counts } = redactPrompt(request, rules);
      if (counts.size === 0) return inner.stream(request, target, context);
      const summary = [...counts].map(([name, count]) => `${count} ${name}`).join(', ');
      return (async function* withWarning(): AsyncIterable<StreamEvent> {
        yield { type: 'warning', warning: { code: 'prompt_redacted', message: `redacted before sending to ${target.provider.id}: ${summary}` } };
        yield* inner.stream(redacted, target, context);
      })();
    },
  };
  if (inner.embed) client.embed = inner.embed.bind(inner);
  return client;
}
