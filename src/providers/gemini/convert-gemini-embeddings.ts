import { GatewayError } from '../../core/index.js';
import type { EmbeddingRequest, EmbeddingResponse, Warning, Target } from '../../core/index.js';
import type { UpstreamRequest } from '../provider-adapter.js';
import { formatIssuePath, geminiEmbeddingsResponseSchema } from '../../wire/gemini/gemini-response-schema.js';
import { geminiHeaders, geminiModelPath } from './gemini-transport.js';

/** Builds a `batchEmbedContents` request: one request entry per input string. */
export function toGeminiEmbeddingsUpstream(request: EmbeddingRequest, target: Target): UpstreamRequest {
  const model = target.model.replace(/^models\//, '');
  const warnings: Warning[] = [];
  if (request.user !== undefined) {
    warnings.push({ code: 'parameter_dropped', param: 'user', message: 'user dropped for gemini: no end-user identifier field' });
  }
  const requests = request.input.map((text) => ({
    model: `models/${model}`,
    content: { parts: [{ text }] },
    ...(request.dimensions !== undefined && { outputDimensionality: request.dimensions }),
  }));
  return {
    path: geminiModelPath(model, 'batchEmbedContents'),
    headers: geminiHeaders(target),
    body: JSON.stringify({ requests }),
    warnings,
  };
}

/** Reads `{embeddings:[{values}]}`; Gemini reports no token usage here, so `inputTokens` stays undefined. */
export function fromGeminiEmbeddingsUpstream(body: unknown, target: Target): EmbeddingResponse {
  const parsed = geminiEmbeddingsResponseSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '(root)' : formatIssuePath(issue.path);
    throw new GatewayError('upstream_malformed_response', `Gemini embeddings response invalid at ${where}`, {
      provider: target.provider.id,
    });
  }
  return { model: target.model, embeddings: parsed.data.embeddings.map((embedding) => embedding.values) };
}
