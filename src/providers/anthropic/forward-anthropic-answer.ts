import { isRecord, type CanonicalRequest, type Target } from '../../core/index.js';
import type { AnswerForwarder } from '../provider-adapter.js';
import { NamedEventForwarder, renamedAnswer, type AnswerNames, type ForwardedFrame } from '../shared/named-event-forwarder.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';

/** `message_start`'s message with the gateway's names; every other event as the upstream sent it. */
function frameText(frame: ForwardedFrame, names: AnswerNames): string {
  if (frame.name !== 'message_start') return frame.data;
  const parsed = frame.payload();
  return isRecord(parsed) && isRecord(parsed.message) ? JSON.stringify({ ...parsed, message: { ...parsed.message, ...names } }) : frame.data;
}

/**
 * The forwarder for an Anthropic client on an Anthropic target: its answer, JSON or stream, reaches the client as the
 * provider wrote it (every block type and field, server tools and citations included), named as the gateway names it.
 */
export function forwardAnthropicAnswer(request: CanonicalRequest, target: Target, requestId: string): AnswerForwarder | undefined {
  if (request.passthrough?.format !== 'anthropic-messages') return undefined;
  const providerId = target.provider.id;
  const names: AnswerNames = { id: `msg_${requestId}`, model: request.model };
  return {
    forwardBody(text, body) {
      // The translating path's own reading of the answer, for the record (and its error for a malformed one).
      const { usage, finishReason } = convertFromAnthropicResponse(body, target.model);
      return [
        { type: 'wire', data: renamedAnswer(text, body, names) },
        { type: 'usage', usage },
        { type: 'finish', reason: finishReason },
      ];
    },
    createStreamDecoder: () => new NamedEventForwarder(new AnthropicStreamDecoder(providerId), { text: (frame) => frameText(frame, names) }),
  };
}
