import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, ProviderSettings, Target } from '../../core/index.js';
import { recordEvents, runForwarder, wireText } from '../../../test/support/answer-forwarding.js';
import { forwardResponsesAnswer } from './forward-responses-answer.js';

const target: Target = {
  provider: { id: 'oai', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', headers: {}, options: { api: 'responses' } } as ProviderSettings,
  model: 'gpt-5',
};

function requestOf(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'codex-alias', messages: [], stream: true, passthrough: { format: 'openai-responses', body: {} }, ...overrides };
}

const forwarder = () => forwardResponsesAnswer(requestOf(), target, 'req-1')!;

function frame(type: string, data: Record<string, unknown>, named = true): string {
  const text = JSON.stringify({ type, ...data });
  return named ? `event: ${type}\ndata: ${text}\n\n` : `data: ${text}\n\n`;
}

const created = frame('response.created', { response: { id: 'resp_up', model: 'gpt-5-2025', status: 'in_progress', output: [] } });
const webSearch = frame('response.output_item.added', { output_index: 0, item: { id: 'ws_1', type: 'web_search_call', status: 'in_progress' } });
const message = frame('response.output_item.added', { output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } });
const delta = frame('response.output_text.delta', { output_index: 1, delta: 'Hi' }, false);
const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 };
const completed = frame('response.completed', { response: { id: 'resp_up', model: 'gpt-5-2025', status: 'completed', output: [], usage } });

describe('forwardResponsesAnswer', () => {
  it('applies only to a body the dialect let through', () => {
    expect(forwardResponsesAnswer(requestOf({ passthrough: { format: 'openai-chat', body: {} } }), target, 'r')).toBeUndefined();
    expect(forwardResponsesAnswer(requestOf({ passthrough: undefined }), target, 'r')).toBeUndefined();
  });

  it('holds events until the first output, then forwards each as sent, the Response object named as the gateway names it', () => {
    const batches = runForwarder(forwarder(), [created, webSearch + message + delta, completed, frame('response.output_text.delta', { delta: 'late' })]);
    expect(batches[0]).toEqual([]);
    const text = wireText(batches.flat());
    expect(text.startsWith('event: response.created\ndata: {"type":"response.created","response":{"id":"resp_req-1","model":"codex-alias"')).toBe(true);
    // A hosted tool call has no canonical event, and is the answer's first output all the same; an event sent without
    // its `event:` line gets the one its `type` names, which the SDKs dispatch on.
    expect(text).toContain(webSearch + message + frame('response.output_text.delta', { output_index: 1, delta: 'Hi' }));
    expect(text).toContain('"id":"resp_req-1","model":"codex-alias","status":"completed"');
    expect(text).not.toContain('late');
    expect(recordEvents(batches.flat())).toEqual([
      { type: 'usage', usage: expect.objectContaining({ inputTokens: 10, outputTokens: 2 }) },
      { type: 'finish', reason: { unified: 'stop', raw: 'completed' } },
    ]);
  });

  it('forwards nothing of a stream that fails before its first output, so that it can fail over unseen', () => {
    const failed = frame('response.failed', { response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } });
    const events = runForwarder(forwarder(), [created, failed]).flat();
    expect(wireText(events)).toBe('');
    expect(events).toEqual([expect.objectContaining({ type: 'error' })]);
  });

  it('reports a stream that closes before its terminal event', () => {
    const events = runForwarder(forwarder(), [created + message + delta]).flat();
    expect(wireText(events)).toContain('"delta":"Hi"');
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_connection_error' } });
  });

  it('forwards a whole response renamed, finishing on the client’s tool call; a failed one is left to translation', () => {
    const body = { id: 'resp_up', object: 'response', model: 'gpt-5-2025', status: 'completed', output: [{ type: 'custom_tool_call', call_id: 'c1', name: 'apply_patch', input: 'x' }], usage };
    const events = forwarder().forwardBody(JSON.stringify(body), body);
    expect(events?.[0]).toEqual({ type: 'wire', data: JSON.stringify({ ...body, id: 'resp_req-1', model: 'codex-alias' }) });
    expect(events?.[2]).toEqual({ type: 'finish', reason: { unified: 'tool-calls', raw: 'completed' } });
    const failed = { ...body, status: 'failed', error: { message: 'boom' } };
    expect(forwarder().forwardBody(JSON.stringify(failed), failed)).toBeUndefined();
  });
});
