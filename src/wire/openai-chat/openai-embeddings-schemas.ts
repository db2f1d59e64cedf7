import { z } from 'zod';

/** `POST /v1/embeddings` body as clients send it. */
export const openAIEmbeddingsRequestSchema = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.unknown()).min(1)]),
  dimensions: z.number().int().min(1).nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  user: z.string().nullish(),
});

/** An `/embeddings` response as OpenAI-compatible upstreams send it; vectors are float lists or base64 text. */
export const openAIEmbeddingsResponseSchema = z.looseObject({
  model: z.string().nullish(),
  data: z.array(
    z.looseObject({
      index: z.number().int().nonnegative().nullish(),
      embedding: z.union([z.array(z.number()), z.string()]),
    }),
  ),
  usage: z.looseObject({ prompt_tokens: z.number().nullish() }).nullish(),
});

/** Packs a vector as little-endian float32 bytes in base64, OpenAI's `encoding_format: "base64"`. */
export function encodeFloat32Base64(vector: ReadonlyArray<number>): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return Buffer.from(view.buffer).toString('base64');
}

/** Reads `encoding_format: "base64"` text back into a vector of little-endian float32 values. */
export function decodeFloat32Base64(data: string): number[] {
  const bytes = Buffer.from(data, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.byteLength; offset += 4) out.push(view.getFloat32(offset, true));
  return out;
}
