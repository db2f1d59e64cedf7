import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Target } from '../../core/index.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { upstreamBodyText } from '../shared/upstream-body-text.js';

function targetFor(anthropicVersion?: '2023-06-01' | '2026-10-21'): Target {
  return {
    provider: { id: 'claude', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, options: { apiVersion: anthropicVersion } },
    model: 'claude-sonnet-4-5-20250929',
  };
}

function passthrough(body: Record<string, unknown>): CanonicalRequest {
  return { model: 'smart', messages: [], stream: false, passthrough: { format: 'anthropic-messages', body } };
}

describe('Anthropic same-format pass-through', () => {
  it('forwards the client body with every field kept and only the model replaced', () => {
    const body = {
      model: 'smart',
      max_tokens: 50,
      temperature: 0.3,
      messages: [{ role: 'user', content: 'hi' }],
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com' }],
      context_management: { edits: [] },
    };
    const out = anthropicAdapter.toUpstream(passthrough(body), targetFor());
    expect(JSON.parse(upstreamBodyText(out.body))).toEqual({ ...body, model: 'claude-sonnet-4-5-20250929' });
    expect(out.warnings).toEqual([]);
    expect(body.model).toBe('smart');
  });

  it('drops sampling fields with warnings for a 2026-10-21 upstream', () => {
    const out = anthropicAdapter.toUpstream(
      passthrough({ max_tokens: 50, temperature: 0.3, top_k: 3, messages: [{ role: 'system', content: 'Be brief.' }] }),
      targetFor('2026-10-21'),
    );
    expect(JSON.parse(upstreamBodyText(out.body))).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 50,
      messages: [{ role: 'system', content: 'Be brief.' }],
    });
    expect(out.warnings.map((w) => w.param)).toEqual(['temperature', 'top_k']);
  });

  it('hoists role:system messages into system for a 2023-06-01 upstream', () => {
    const out = anthropicAdapter.toUpstream(
      passthrough({
        max_tokens: 50,
        system: 'You are terse.',
        messages: [
          { role: 'system', content: 'Answer in French.' },
          { role: 'user', content: 'hi' },
          { role: 'system', content: [{ type: 'text', text: 'No emoji.', cache_control: { type: 'ephemeral' } }] },
        ],
      }),
      targetFor('2023-06-01'),
    );
    const body = JSON.parse(upstreamBodyText(out.body)) as Record<string, unknown>;
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Answer in French.' },
      { type: 'text', text: 'No emoji.', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(out.warnings).toEqual([expect.objectContaining({ code: 'parameter_translated', param: 'messages' })]);
  });

  it('forwards the client’s anthropic-beta header with its body, after the provider’s own betas', () => {
    const request = passthrough({ model: 'smart', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    request.passthrough!.headers = { 'anthropic-beta': 'context-1m-2025-08-07' };
    const target = targetFor();
    expect(anthropicAdapter.toUpstream(request, target).headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    target.provider.headers = { 'anthropic-beta': 'files-api-2025-04-14' };
    expect(anthropicAdapter.toUpstream(request, target).headers['anthropic-beta']).toBe('files-api-2025-04-14,context-1m-2025-08-07');
  });
});
