import type { EmbeddingRequest, EmbeddingResponse, Warning, Target } from '../../core/index.js';
import { GatewayError, droppedParameter } from '../../core/index.js';
import type { UpstreamRequest } from '../provider-adapter.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';
import { buildOpenAIHeaders } from './openai-upstream-headers.js';
import { describeFirstIssue } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { decodeFloat32Base64, openAIEmbeddingsResponseSchema } from '../../wire/openai-chat/openai-embeddings-schemas.js';

/** Builds the `/embeddings` request; Mistral names the dimension `output_dimension` and has no `user`. */
export function buildOpenAIEmbeddingsRequest(request: EmbeddingRequest, target: Target, quirks: OpenAIFamilyQuirks): UpstreamRequest {
  const body: Record<string, unknown> = { model: target.model, input: request.input };
  const warnings: Warning[] = [];
  if (request.dimensions !== undefined) body[quirks.mistralTools ? 'output_dimension' : 'dimensions'] = request.dimensions;
  if (request.encodingFormat !== undefined) body.encoding_format = request.encodingFormat;
  if (request.user !== undefined) {
    if (quirks.supportsUser) body.user = request.user;
    else warnings.push(droppedParameter('user', quirks.type, 'no end-user field'));
  }
  return { path: '/embeddings', headers: buildOpenAIHeaders(target.provider), body: JSON.stringify(body), warnings };
}

/** Translates an `/embeddings` response, ordering vectors by `index`. */
export function parseOpenAIEmbeddingsResponse(body: unknown, target: Target): EmbeddingResponse {
  const parsed = openAIEmbeddingsResponseSchema.safeParse(body);
  const providerId = target.provider.id;
  if (!parsed.success) {
    throw new GatewayError('upstream_malformed_response', `${providerId} returned an unexpected body (${describeFirstIssue(parsed.error)})`, {
      provider: providerId,
      cause: parsed.error,
    });
  }
  const items = parsed.data.data.map((item, position) => ({ order: item.index ?? position, embedding: item.embedding }));
  items.sort((a, b) => a.order - b.order);
  const response: EmbeddingResponse = {
    model: parsed.data.model || target.model,
    embeddings: items.map((item) => (typeof item.embedding === 'string' ? decodeFloat32Base64(item.embedding) : item.embedding)),
  };
  const inputTokens = parsed.data.usage?.prompt_tokens;
  if (inputTokens !== null && inputTokens !== undefined) response.inputTokens = inputTokens;
  return response;
}
