import type { EmbeddingResponse } from '../../core/index.js';
import { encodeFloat32Base64 } from '../../wire/openai-chat/openai-embeddings-schemas.js';

/** Renders embeddings as an OpenAI list body; `model` is the name the client asked for. */
export function renderOpenAIEmbeddingsResponse(
  response: EmbeddingResponse,
  model: string,
  encodingFormat: 'float' | 'base64' = 'float',
): unknown {
  const tokens = response.inputTokens ?? 0;
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' ? encodeFloat32Base64(vector) : vector,
    })),
    model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
