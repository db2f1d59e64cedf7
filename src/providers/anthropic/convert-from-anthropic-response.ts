import type { AssistantPart, CanonicalResponse } from '../../core/index.js';
import {
  anthropicKnownBlockSchema,
  anthropicMessageSchema,
  isKnownBlockType,
  parseUpstream,
} from '../../wire/anthropic-messages/anthropic-response-schemas.js';
import type { AnthropicKnownBlock } from '../../wire/anthropic-messages/anthropic-response-schemas.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';
import { fromAnthropicUsage } from '../../wire/anthropic-messages/anthropic-usage.js';
import { fromAnthropicStopReason } from '../../wire/anthropic-messages/anthropic-stop-reason.js';

function toPart(block: AnthropicKnownBlock): AssistantPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'thinking': {
      const part: AssistantPart = { type: 'reasoning', text: block.thinking };
      if (block.signature !== undefined) part.signature = block.signature;
      return part;
    }
    case 'redacted_thinking':
      return { type: 'reasoning', text: '', redactedData: block.data };
    case 'tool_use':
      if (block.name === JSON_OUTPUT_TOOL_NAME) return { type: 'text', text: JSON.stringify(block.input) };
      return { type: 'tool-call', callId: block.id, name: block.name, arguments: JSON.stringify(block.input) };
  }
}

/**
 * Translates a non-streaming Messages response. Block types the gateway does not model (server tools, citations)
 * are skipped; the reserved JSON-output tool call becomes text. Throws GatewayError('upstream_malformed_response').
 */
export function convertFromAnthropicResponse(body: unknown, model: string): CanonicalResponse {
  const message = parseUpstream(anthropicMessageSchema, body, 'message');
  const content: AssistantPart[] = [];
  message.content.forEach((block, i) => {
    if (!isKnownBlockType(block.type)) return;
    content.push(toPart(parseUpstream(anthropicKnownBlockSchema, block, 'message', `content[${i}]`)));
  });
  const jsonOutput = message.content.some((block) => block.type === 'tool_use' && block.name === JSON_OUTPUT_TOOL_NAME);
  const toolCalls = content.some((part) => part.type === 'tool-call');

  const response: CanonicalResponse = {
    model: message.model ?? model,
    content,
    finishReason: fromAnthropicStopReason(message.stop_reason, message.stop_sequence, jsonOutput && !toolCalls),
    usage: message.usage ? fromAnthropicUsage(message.usage, message.usage) : {},
    warnings: [],
  };
  if (message.id !== undefined) response.id = message.id;
  return response;
}
