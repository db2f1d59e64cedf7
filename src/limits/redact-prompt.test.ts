import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../core/index.js';
import { redactEmbeddingInput, redactPrompt } from './redact-prompt.js';

const EMAIL = { name: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g };

function requestWith(text: string): CanonicalRequest {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }], vendor_field: 1 };
  return { model: 'gpt-4o-mini', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }], passthrough: { format: 'openai-chat', body } };
}

describe('redactPrompt', () => {
  it('drops the same-format pass-through body when a rule matched, so the unredacted text cannot be forwarded', () => {
    const { request, counts } = redactPrompt(requestWith('write to ada@example.com'), [EMAIL]);
    expect(counts.get('email')).toBe(1);
    expect(request.messages[0]?.content).toEqual([{ type: 'text', text: 'write to [REDACTED]' }]);
    expect(request.passthrough).toBeUndefined();
  });

  it('keeps the request, pass-through body included, when nothing matched', () => {
    const original = requestWith('nothing to hide');
    const { request, counts } = redactPrompt(original, [EMAIL]);
    expect(counts.size).toBe(0);
    expect(request).toBe(original);
  });
});

describe('redactEmbeddingInput', () => {
  it('replaces matches in every input text and counts them, leaving a request without matches as it is', () => {
    const request = { model: 'embedder', input: ['a@example.com and b@example.com', 'plain'] };
    const { request: redacted, counts } = redactEmbeddingInput(request, [EMAIL]);
    expect(redacted.input).toEqual(['[REDACTED] and [REDACTED]', 'plain']);
    expect(counts.get('email')).toBe(2);
    const clean = { model: 'embedder', input: ['plain'] };
    expect(redactEmbeddingInput(clean, [EMAIL]).request).toBe(clean);
  });
});
