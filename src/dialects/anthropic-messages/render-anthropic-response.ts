import { parseToolArguments, type AssistantPart, type CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { toAnthropicStopReason, type AnthropicStopReason } from '../../wire/anthropic-messages/anthropic-stop-reason.js';
import type { AnthropicUsage } from '../../wire/anthropic-messages/anthropic-response-schemas.js';
import { toAnthropicUsage } from '../../wire/anthropic-messages/anthropic-usage.js';

/** One content block of an Anthropic response message. */
export type AnthropicResponseBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** The non-streaming `POST /v1/messages` response body. */
export interface AnthropicMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnthropicResponseBlock[];
  stop_reason: AnthropicStopReason | null;
  stop_sequence: string | null;
  stop_details: null;
  usage: AnthropicUsage;
}

/** The message id the client sees: derived from the gateway request id so logs and responses line up. */
export function anthropicMessageId(context: RenderContext): string {
  return `msg_${context.requestId}`;
}

/** Converts one canonical assistant part into an Anthropic content block. */
function toAnthropicBlock(part: AssistantPart): AnthropicResponseBlock {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text };
    case 'reasoning':
      return part.redactedData !== undefined
        ? { type: 'redacted_thinking', data: part.redactedData }
        : { type: 'thinking', thinking: part.text, signature: part.signature ?? '' };
    case 'tool-call':
      // Anthropic `input` must be an object; arguments that are not a JSON object cannot be expressed.
      return { type: 'tool_use', id: part.callId, name: part.name, input: parseToolArguments(part.arguments) ?? {} };
  }
}

/** Renders a folded response as an Anthropic message. */
export function renderAnthropicResponse(response: CanonicalResponse, context: RenderContext): AnthropicMessage {
  const { stopReason, stopSequence } = toAnthropicStopReason(response.finishReason);
  return {
    id: anthropicMessageId(context),
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: response.content.map(toAnthropicBlock),
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: null,
    usage: toAnthropicUsage(response.usage),
  };
}
