import { describe, expect, it } from 'vitest';
import type { OpenAIFamilySettings, Target } from '../../core/index.js';
import { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

const oai: OpenAIFamilySettings = { id: 'oai', type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-x', headers: {}, options: {} };
const openai: Target = { provider: oai, model: 'text-embedding-3-small' };
const mistral: Target = { provider: { ...oai, id: 'mis', type: 'mistral' }, model: 'mistral-embed' };

describe('embeddings', () => {
  it('builds the /embeddings request with optional fields', () => {
    const adapter = createOpenAICompatibleAdapter('openai');
    const upstream = adapter.toEmbeddingsUpstream?.(
      { model: 'emb', input: ['a', 'b'], dimensions: 256, encodingFormat: 'float', user: 'u' },
      openai,
    );
    expect(upstream?.path).toBe('/embeddings');
    expect(upstream?.headers.authorization).toBe('Bearer sk-x');
    expect(JSON.parse(upstreamBodyText(upstream?.body ?? ''))).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      dimensions: 256,
      encoding_format: 'float',
      user: 'u',
    });
  });

  it('uses Mistral field names and warns about the user field', () => {
    const upstream = createOpenAICompatibleAdapter('mistral').toEmbeddingsUpstream?.(
      { model: 'emb', input: ['a'], dimensions: 512, user: 'u' },
      mistral,
    );
    expect(JSON.parse(upstreamBodyText(upstream?.body ?? ''))).toEqual({ model: 'mistral-embed', input: ['a'], output_dimension: 512 });
    expect(upstream?.warnings).toMatchObject([{ code: 'parameter_dropped', param: 'user' }]);
  });

  it('orders vectors by index and reads prompt tokens', () => {
    const response = createOpenAICompatibleAdapter('openai').fromEmbeddingsUpstream?.(
      {
        object: 'list',
        data: [
          { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
          { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        ],
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 5, total_tokens: 5 },
      },
      openai,
    );
    expect(response).toEqual({ model: 'text-embedding-3-small', embeddings: [[0.1, 0.2], [0.3, 0.4]], inputTokens: 5 });
  });

  it('decodes base64 float32 vectors', () => {
    const floats = new Float32Array([0.5, -1.25]);
    const data = Buffer.from(floats.buffer).toString('base64');
    const response = createOpenAICompatibleAdapter('openai').fromEmbeddingsUpstream?.(
      { data: [{ index: 0, embedding: data }] },
      openai,
    );
    expect(response).toEqual({ model: 'text-embedding-3-small', embeddings: [[0.5, -1.25]] });
  });

  it('rejects a body without data', () => {
    expect(() => createOpenAICompatibleAdapter('openai').fromEmbeddingsUpstream?.({ object: 'list' }, openai)).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response' }),
    );
  });
});
