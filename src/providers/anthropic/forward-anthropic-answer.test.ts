import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { responseToEvents, type CanonicalRequest, type ProviderSettings, type StreamEvent, type Target } from '../../core/index.js';
import type { AnswerForwarder } from '../provider-adapter.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';
import { forwardAnthropicAnswer } from './forward-anthropic-answer.js';
import { recordEvents, runForwarder as run, wireText } from '../../../test/support/answer-forwarding.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/anthropic-messages/__fixtures__/${name}`, import.meta.url), 'utf8');
}

const target: Target = {
  provider: { id: 'claude', type: 'anthropic', baseUrl: 'http://127.0.0.1:1', headers: {}, options: {} } as ProviderSettings,
  model: 'claude-haiku-4-5-20251001',
};

function requestOf(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'my-alias', messages: [], stream: true, passthrough: { format: 'anthropic-messages', body: {} }, ...overrides };
}

const forwarder = (): AnswerForwarder => forwardAnthropicAnswer(requestOf(), target, 'req-1')!;

function translatedEvents(text: string): StreamEvent[] {
  const decoder = new AnthropicStreamDecoder('claude');
  const events: StreamEvent[] = [];
  createParser({ onEvent: (event) => events.push(...decoder.push(event)) }).feed(text);
  return events.concat(decoder.end());
}

/** Each frame as its event name and parsed payload. */
function frames(text: string): Array<{ event: string | undefined; data: unknown }> {
  const out: Array<{ event: string | undefined; data: unknown }> = [];
  createParser({ onEvent: (event) => out.push({ event: event.event, data: JSON.parse(event.data) as unknown }) }).feed(text);
  return out;
}

function renamedStart(upstream: Array<{ event: string | undefined; data: unknown }>): Array<{ event: string | undefined; data: unknown }> {
  return upstream.map((frame) => {
    if (frame.event !== 'message_start') return frame;
    const data = frame.data as { message: Record<string, unknown> };
    return { event: frame.event, data: { ...data, message: { ...data.message, id: 'msg_req-1', model: 'my-alias' } } };
  });
}

describe('forwardAnthropicAnswer', () => {
  it('offers no forwarder to a client of another format', () => {
    expect(forwardAnthropicAnswer(requestOf({ passthrough: { format: 'openai-chat', body: {} } }), target, 'req-1')).toBeUndefined();
    const { passthrough: _passthrough, ...translated } = requestOf();
    expect(forwardAnthropicAnswer(translated, target, 'req-1')).toBeUndefined();
  });

  it('forwards a JSON message as written, with the gateway id and the client model, and records what the translating path records', () => {
    const text = fixture('anthropic-messages.json');
    const body = JSON.parse(text) as object;
    const events = forwarder().forwardBody(text, body)!;
    expect(JSON.parse(wireText(events))).toEqual({ ...body, id: 'msg_req-1', model: 'my-alias' });
    expect(recordEvents(events)).toEqual(recordEvents(responseToEvents(convertFromAnthropicResponse(body, target.model))));
  });

  for (const name of ['anthropic-stream.sse', 'anthropic-tool-use-stream.sse']) {
    it(`forwards every frame of ${name} in order, renaming only message_start's id and model`, () => {
      const text = fixture(name);
      const events = run(forwarder(), [text]).flat();
      expect(frames(wireText(events))).toEqual(renamedStart(frames(text)));
      expect(recordEvents(events)).toEqual(recordEvents(translatedEvents(text)));
    });
  }

  it('holds frames until the first content, so a failure before it can fail over unseen', () => {
    const text = fixture('anthropic-stream.sse');
    const cut = text.indexOf('event: content_block_delta');
    const [beforeContent, atContent] = run(forwarder(), [text.slice(0, cut), text.slice(cut)]);
    expect(beforeContent).toEqual([]);
    expect(wireText(atContent!)).toContain('"msg_req-1"');
  });

  it('does not forward an upstream error frame: the stream ends with the decoded error', () => {
    const events = run(forwarder(), [fixture('anthropic-stream-error.sse')]).flat();
    expect(wireText(events)).toBe('');
    expect(recordEvents(events)).toEqual(recordEvents(translatedEvents(fixture('anthropic-stream-error.sse'))));
    expect(events.some((event) => event.type === 'error')).toBe(true);
  });

  it('drops what the upstream sends after message_stop, as the translating decoder does: message_stop is the last frame', () => {
    const text = fixture('anthropic-stream.sse');
    const after = [
      'event: ping\ndata: {"type":"ping"}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}}\n\n',
      'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_late","model":"late"}}\n\n',
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"late"}}\n\n',
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
    ];
    for (const pieces of [[text + after.join('')], [text, ...after]]) {
      const events = run(forwarder(), pieces).flat();
      expect(frames(wireText(events))).toEqual(renamedStart(frames(text)));
      expect(recordEvents(events)).toEqual(recordEvents(translatedEvents(pieces.join(''))));
    }
  });

  it('ignores a malformed event after message_stop, named or not, as the translating decoder does, instead of throwing or forwarding it', () => {
    const text = fixture('anthropic-stream.sse');
    for (const malformed of ['data: {"type":"content_block_delta","index":0,"delta":{"type":"text_del', 'event: message_start\ndata: not json', 'event: ping\ndata: not json']) {
      const upstream = `${text}\n${malformed}\n\n`;
      const events = run(forwarder(), [upstream]).flat();
      expect(frames(wireText(events))).toEqual(renamedStart(frames(text)));
      expect(recordEvents(events)).toEqual(recordEvents(translatedEvents(upstream)));
      expect(events.some((event) => event.type === 'error')).toBe(false);
    }
  });

  it('ends a stream with a malformed event before message_stop with the frames sent so far and the upstream\'s malformed-response error', () => {
    const text = fixture('anthropic-stream.sse');
    const cut = text.indexOf('event: content_block_stop');
    for (const malformed of ['data: {"type":"content_block_delta","index":0,"delta":{"type":"text_del', 'event: message_start\ndata: not json', 'event: ping\ndata: not json']) {
      const upstream = `${text.slice(0, cut)}${malformed}\n\n${text.slice(cut)}`;
      const events = run(forwarder(), [upstream]).flat();
      expect(events.map((event) => event.type)).toEqual(['wire', 'usage', 'error']);
      expect(frames(wireText(events))).toEqual(renamedStart(frames(text.slice(0, cut))));
      expect(recordEvents(events)).toEqual(recordEvents(translatedEvents(upstream)));
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_malformed_response', provider: 'claude' } });
    }
  });

  it('names frames by their payload type when the upstream sends no event lines', () => {
    const text = fixture('anthropic-stream.sse').replace(/^event: .*\n/gm, '');
    const events = run(forwarder(), [text]).flat();
    expect(frames(wireText(events)).map((frame) => frame.event)).toEqual(frames(fixture('anthropic-stream.sse')).map((frame) => frame.event));
  });
});
