import { GatewayError, type EmbeddingRequest } from '../../core/index.js';
import { openAIEmbeddingsRequestSchema } from '../../wire/openai-chat/openai-embeddings-schemas.js';
import { zodErrorToGatewayError } from './zod-error-to-gateway-error.js';

function toInputs(input: string | unknown[]): string[] {
  if (typeof input === 'string') return [input];
  return input.map((item, i) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || Array.isArray(item)) {
      throw new GatewayError('unsupported_parameter', 'Unsupported value at input: token-array inputs are not supported; send text', {
        param: 'input',
      });
    }
    throw new GatewayError('invalid_request', `Invalid type at input[${i}]: expected string`, { param: `input[${i}]` });
  });
}

/** Validates an OpenAI `/v1/embeddings` body; `input` becomes a list of strings (token arrays are rejected). */
export function parseOpenAIEmbeddingsRequest(body: unknown): EmbeddingRequest {
  const parsed = openAIEmbeddingsRequestSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw zodErrorToGatewayError(parsed.error);
  const data = parsed.data;
  const request: EmbeddingRequest = { model: data.model, input: toInputs(data.input) };
  if (data.dimensions != null) request.dimensions = data.dimensions;
  if (data.encoding_format != null) request.encodingFormat = data.encoding_format;
  if (data.user != null) request.user = data.user;
  return request;
}
