import type { ProviderMetadata } from './content.js';
import type { GatewayError } from './gateway-error.js';
import type { FinishReason, Usage } from './usage.js';
import type { Warning } from './warning.js';

/**
 * The lifecycle union every provider decodes into and every dialect encodes from. Blocks (text, reasoning, tool
 * input) open, receive deltas and close, identified by `blockId` (unique within one response). Tool blocks carry
 * `toolIndex`, counted over tool calls only (OpenAI `tool_calls[].index` semantics), starting at 0 per response.
 * A stream is: response-start, blocks…, usage (0..n, last wins), finish, and nothing after finish; an `error`
 * event ends it early. Warnings may appear anywhere.
 *
 * `wire` carries the answer already in the client's own format (that of the request's pass-through body), ready to
 * write as it is: a same-format target's bytes forwarded with only the id and model rewritten. Such a stream carries
 * no block events; usage, finish, warnings and errors still come as events for the record, and an error is rendered
 * by the client's dialect.
 */
export type StreamEvent =
  | { type: 'response-start'; id?: string; model?: string }
  | { type: 'text-start'; blockId: string }
  | { type: 'text-delta'; blockId: string; text: string }
  | { type: 'text-end'; blockId: string }
  | { type: 'reasoning-start'; blockId: string; redactedData?: string; providerMetadata?: ProviderMetadata }
  | { type: 'reasoning-delta'; blockId: string; text: string }
  | { type: 'reasoning-end'; blockId: string; signature?: string }
  | {
      type: 'tool-input-start';
      blockId: string;
      toolIndex: number;
      callId: string;
      name: string;
      providerMetadata?: ProviderMetadata;
    }
  | { type: 'tool-input-delta'; blockId: string; argumentsDelta: string }
  | { type: 'tool-input-end'; blockId: string }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: FinishReason }
  | { type: 'warning'; warning: Warning }
  | { type: 'error'; error: GatewayError }
  | { type: 'wire'; data: string };

export type StreamEventType = StreamEvent['type'];

/** True for events that carry model output: the first of these is the stream's commit point. */
export function isContentEvent(event: StreamEvent): boolean {
  switch (event.type) {
    case 'text-delta':
    case 'reasoning-delta':
    case 'tool-input-start':
    case 'reasoning-start':
    case 'finish':
    case 'wire':
      return true;
    default:
      return false;
  }
}
