import type { ProviderAdapter } from '../provider-adapter.js';
import type { Target } from '../../core/index.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { convertGeminiResponse } from './convert-gemini-response.js';
import { fromGeminiEmbeddingsUpstream, toGeminiEmbeddingsUpstream } from './convert-gemini-embeddings.js';
import type { GeminiSchemaMode } from '../../core/index.js';
import { createGeminiStreamDecoder } from './gemini-stream-decoder.js';
import { geminiHeaders, geminiModelPath } from './gemini-transport.js';
import { mapGeminiError } from './map-gemini-error.js';
import { clientBytesFor } from '../shared/client-bytes.js';

function schemaModeOf(target: Target): GeminiSchemaMode {
  return (target.provider.type === 'gemini' ? target.provider.options.schemaMode : undefined) ?? 'json-schema';
}

/** The Gemini Developer API (generateContent / streamGenerateContent?alt=sse / batchEmbedContents). */
export const geminiAdapter: ProviderAdapter = {
  format: 'gemini',

  toUpstream(request, target) {
    const path = geminiModelPath(target.model, request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent');
    const headers = geminiHeaders(target);
    // A Gemini-format client body is already in the upstream's language; the model lives in the URL.
    if (request.passthrough?.format === 'gemini') {
      return { path, headers, body: clientBytesFor(request.passthrough, request.passthrough.body) ?? JSON.stringify(request.passthrough.body), warnings: [] };
    }
    const { body, warnings } = buildGeminiRequest(request, schemaModeOf(target), target.model);
    return { path, headers, body: JSON.stringify(body), warnings };
  },

  fromUpstream: convertGeminiResponse,

  createStreamDecoder: createGeminiStreamDecoder,

  toGatewayError(status, headers, body, target) {
    return mapGeminiError(status, headers, body, target.provider.id);
  },

  toEmbeddingsUpstream: toGeminiEmbeddingsUpstream,
  fromEmbeddingsUpstream: fromGeminiEmbeddingsUpstream,
};
