import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { openAIChatDialect } from './openai-chat-dialect.js';

describe('openAIChatDialect', () => {
  it('declares the openai-chat format and wires parse, render, stream and error together', () => {
    expect(openAIChatDialect.format).toBe('openai-chat');
    const request = openAIChatDialect.parseRequest(
      { model: 'smart', messages: [{ role: 'user', content: 'hi' }], stream: true },
      { headers: {}, params: {} },
    );
    expect(request).toMatchObject({ model: 'smart', stream: true });

    const context = { requestId: 'r', model: 'smart', created: 1, includeUsage: false };
    const body = openAIChatDialect.renderResponse(
      { content: [{ type: 'text', text: 'ok' }], finishReason: { unified: 'stop' }, usage: {}, warnings: [] },
      context,
    );
    expect(body).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'ok' } }] });

    const encoder = openAIChatDialect.createStreamEncoder(context);
    expect(encoder.encode({ type: 'response-start' })).toContain('"role":"assistant"');
    expect(encoder.end()).toMatch(/data: \[DONE\]\n\n$/);

    expect(openAIChatDialect.renderError(new GatewayError('model_not_found', 'Unknown model')).status).toBe(404);
  });

  it('throws GatewayError for invalid bodies', () => {
    expect(() => openAIChatDialect.parseRequest({ model: 'x' }, { headers: {}, params: {} })).toThrow(GatewayError);
  });
});
