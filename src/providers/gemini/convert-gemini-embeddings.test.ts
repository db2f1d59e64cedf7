import { describe, expect, it } from 'vitest';
import type { Target } from '../../core/index.js';
import { geminiAdapter } from './gemini-adapter.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

const target: Target = {
  provider: { id: 'gem', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', apiKey: 'k', headers: {}, options: {} },
  model: 'text-embedding-004',
};

describe('gemini embeddings', () => {
  it('builds a batchEmbedContents request with one entry per input', () => {
    const upstream = geminiAdapter.toEmbeddingsUpstream?.({ model: 'gem/text-embedding-004', input: ['a', 'b'], dimensions: 256 }, target);
    expect(upstream?.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(upstream?.headers['x-goog-api-key']).toBe('k');
    expect(JSON.parse(upstreamBodyText(upstream?.body ?? ''))).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] }, outputDimensionality: 256 },
      ],
    });
  });

  it('reads the vectors and leaves token usage unreported', () => {
    const response = geminiAdapter.fromEmbeddingsUpstream?.({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3] }] }, target);
    expect(response).toEqual({ model: 'text-embedding-004', embeddings: [[0.1, 0.2], [0.3]] });
    expect(response?.inputTokens).toBeUndefined();
  });

  it('rejects a malformed embeddings body', () => {
    expect(() => geminiAdapter.fromEmbeddingsUpstream?.({ embeddings: [{ values: 'x' }] }, target)).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response' }),
    );
  });
});
