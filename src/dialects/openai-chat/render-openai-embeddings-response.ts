import type { EmbeddingResponse } from '../../core/index.js';

/** Packs a vector as little-endian float32 bytes in base64, OpenAI's `encoding_format: "base64"`. */
function encodeFloat32Base64(vector: ReadonlyArray<number>): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

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
