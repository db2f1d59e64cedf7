import { GatewayError, toGatewayError, type CanonicalResponse, type EmbeddingResponse, type Target } from '../../core/index.js';
import type { DelegatedResult } from '../../ports/provider-batch-api.js';

/** A line the provider failed, in the port's plain error shape. */
export function failedLine(customId: string, error: GatewayError): DelegatedResult {
  return { customId, ok: false, error: { code: error.code, message: error.message, status: error.status } };
}

function unreadable(error: unknown, target: Target): GatewayError {
  if (error instanceof GatewayError) return error;
  const providerId = target.provider.id;
  return new GatewayError('upstream_malformed_response', `${providerId}: unreadable response in the batch results`, { provider: providerId, cause: toGatewayError(error) });
}

/** A chat line the provider answered, decoded by the live adapter; an answer it cannot read is a failed line. */
export function chatLine(customId: string, decode: () => CanonicalResponse, target: Target): DelegatedResult {
  try {
    const response = decode();
    return { customId, ok: true, kind: 'chat', response, usage: response.usage };
  } catch (error) {
    return failedLine(customId, unreadable(error, target));
  }
}

/** An embedding line the provider answered, decoded by the live adapter. */
export function embeddingLine(customId: string, decode: () => EmbeddingResponse, target: Target): DelegatedResult {
  try {
    const response = decode();
    return { customId, ok: true, kind: 'embedding', response, usage: response.inputTokens === undefined ? {} : { inputTokens: response.inputTokens } };
  } catch (error) {
    return failedLine(customId, unreadable(error, target));
  }
}

/** Passes on the first result for each custom_id: a provider that repeats a line must not answer it twice. */
export async function* oncePerCustomId(results: Iterable<DelegatedResult> | AsyncIterable<DelegatedResult>): AsyncIterable<DelegatedResult> {
  const seen = new Set<string>();
  for await (const result of results) {
    if (seen.has(result.customId)) continue;
    seen.add(result.customId);
    yield result;
  }
}
