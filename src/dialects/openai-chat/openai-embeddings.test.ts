import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { parseOpenAIEmbeddingsRequest } from './parse-openai-embeddings-request.js';
import { renderOpenAIEmbeddingsResponse } from './render-openai-embeddings-response.js';

function caught(body: unknown): GatewayError {
  try {
    parseOpenAIEmbeddingsRequest(body);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected parseOpenAIEmbeddingsRequest to throw');
}

describe('parseOpenAIEmbeddingsRequest', () => {
  it('turns a single string into a one-item input list and keeps options', () => {
    expect(
      parseOpenAIEmbeddingsRequest({ model: 'emb', input: 'hello', dimensions: 256, encoding_format: 'base64', user: 'u' }),
    ).toEqual({ model: 'emb', input: ['hello'], dimensions: 256, encodingFormat: 'base64', user: 'u' });
  });

  it('keeps a list of strings in order and ignores null options', () => {
    expect(parseOpenAIEmbeddingsRequest({ model: 'emb', input: ['a', 'b'], dimensions: null })).toEqual({
      model: 'emb',
      input: ['a', 'b'],
    });
  });

  it.each([
    ['a token array', [1, 2, 3]],
    ['a list of token arrays', [[1, 2], [3]]],
  ])('rejects %s as unsupported', (_name, input) => {
    const error = caught({ model: 'emb', input });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('input');
  });

  it('names the path of a bad input item, a missing model and an unknown encoding format', () => {
    expect(caught({ model: 'emb', input: ['a', { text: 'b' }] })).toMatchObject({
      message: 'Invalid type at input[1]: expected string',
      param: 'input[1]',
    });
    expect(caught({ input: 'x' })).toMatchObject({ message: 'Missing required field: model', param: 'model' });
    expect(caught({ model: 'emb', input: 'x', encoding_format: 'int8' }).param).toBe('encoding_format');
    expect(caught({ model: 'emb', input: [] }).param).toBe('input');
  });
});

describe('renderOpenAIEmbeddingsResponse', () => {
  it('renders the OpenAI list body with float vectors', () => {
    expect(renderOpenAIEmbeddingsResponse({ model: 'upstream', embeddings: [[0.5, -1], [2]], inputTokens: 4 }, 'emb')).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1] },
        { object: 'embedding', index: 1, embedding: [2] },
      ],
      model: 'emb',
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  });

  it('encodes base64 vectors as little-endian float32, as the OpenAI SDK decodes them', () => {
    const body = renderOpenAIEmbeddingsResponse({ model: 'u', embeddings: [[1, -2.5, 0.25]] }, 'emb', 'base64') as {
      data: Array<{ embedding: string }>;
      usage: unknown;
    };
    const bytes = Buffer.from(body.data[0]?.embedding ?? '', 'base64');
    expect(bytes.toString('hex')).toBe('0000803f000020c00000803e');
    expect(Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4))).toEqual([1, -2.5, 0.25]);
    expect(body.usage).toEqual({ prompt_tokens: 0, total_tokens: 0 });
  });
});
