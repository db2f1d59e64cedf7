import type { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import type { StreamEvent } from '../../core/index.js';
import type { SseEvent, StreamDecoder } from '../provider-adapter.js';
import {
  anthropicKnownBlockSchema,
  anthropicStreamSchemas as schemas,
  anthropicUsageSchema,
  isKnownBlockType,
  parseUpstream,
} from '../../wire/anthropic-messages/anthropic-response-schemas.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';
import { fromAnthropicUsage } from '../../wire/anthropic-messages/anthropic-usage.js';
import { anthropicStreamError } from './map-anthropic-error.js';
import { fromAnthropicStopReason } from '../../wire/anthropic-messages/anthropic-stop-reason.js';

type AnyBlock = z.infer<typeof schemas.blockStart>['content_block'];

/** A content block between its start and stop, keyed by Anthropic's block index. */
type OpenBlock =
  | { kind: 'text'; blockId: string }
  | { kind: 'reasoning'; blockId: string; signature?: string }
  // `json-text` is the reserved JSON-output tool, whose input streams out as message text.
  | { kind: 'tool' | 'json-text'; blockId: string; startInput: unknown; sawInput: boolean };

/**
 * Decodes Anthropic's named SSE events. Dispatches on the payload's `type` (falling back to the `event:` name),
 * tolerates `ping` and unknown events, counts `toolIndex` over tool calls only, and treats a stream that closes
 * before `message_stop` as truncated.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly blocks = new Map<number, OpenBlock>();
  private toolCount = 0;
  private jsonOutput = false;
  private usage: Record<string, unknown> | undefined;
  private stopReason: string | null | undefined;
  private stopSequence: string | null | undefined;
  private done = false;

  constructor(private readonly provider: string) {}

  /** Decodes one SSE event. */
  push(event: SseEvent): StreamEvent[] {
    if (this.done) return [];
    try {
      return this.decode(event);
    } catch (error) {
      this.done = true;
      const message = error instanceof GatewayError ? error.message : 'Anthropic sent a stream event that is not JSON';
      const malformed = new GatewayError('upstream_malformed_response', message, { provider: this.provider, cause: error });
      return [{ type: 'error', error: malformed }];
    }
  }

  /** Closes the stream; an error event when `message_stop` never came. */
  end(): StreamEvent[] {
    if (this.done) return [];
    this.done = true;
    const error = new GatewayError('upstream_malformed_response', 'Anthropic stream ended before message_stop', {
      provider: this.provider,
    });
    return [{ type: 'error', error }];
  }

  private decode(event: SseEvent): StreamEvent[] {
    const payload: unknown = JSON.parse(event.data);
    const type = parseUpstream(schemas.header, payload, 'stream event').type ?? event.event;
    switch (type) {
      case 'message_start': {
        const { message } = parseUpstream(schemas.messageStart, payload, 'message_start');
        if (message.usage) this.usage = { ...message.usage };
        this.stopReason = message.stop_reason;
        // The input count is known here; passing it on lets an Anthropic client's message_start carry it too.
        return [{ type: 'response-start', id: message.id, model: message.model }, ...this.usageEvents()];
      }
      case 'content_block_start': {
        const start = parseUpstream(schemas.blockStart, payload, 'content_block_start');
        return this.startBlock(start.index, start.content_block);
      }
      case 'content_block_delta': {
        const { index, delta } = parseUpstream(schemas.blockDelta, payload, 'content_block_delta');
        return this.applyDelta(index, delta);
      }
      case 'content_block_stop':
        return this.stopBlock(parseUpstream(schemas.blockStop, payload, 'content_block_stop').index);
      case 'message_delta': {
        const { delta, usage } = parseUpstream(schemas.messageDelta, payload, 'message_delta');
        this.stopReason = delta.stop_reason ?? this.stopReason;
        this.stopSequence = delta.stop_sequence ?? this.stopSequence;
        // Cumulative counts; older API versions send only output_tokens here, so nulls keep message_start's values.
        const reported = Object.entries(usage ?? {}).filter(([, value]) => value !== null);
        if (reported.length > 0) this.usage = { ...this.usage, ...Object.fromEntries(reported) };
        return [];
      }
      case 'message_stop':
        return this.finish();
      case 'error': {
        this.done = true;
        const { error } = parseUpstream(schemas.error, payload, 'error event');
        return [{ type: 'error', error: anthropicStreamError(error, this.provider) }];
      }
      default:
        return [];
    }
  }

  private startBlock(index: number, block: AnyBlock): StreamEvent[] {
    const blockId = String(index);
    if (!isKnownBlockType(block.type)) return [];
    const known = parseUpstream(anthropicKnownBlockSchema, block, 'content_block_start', 'content_block');
    switch (known.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text', blockId });
        return known.text === ''
          ? [{ type: 'text-start', blockId }]
          : [{ type: 'text-start', blockId }, { type: 'text-delta', blockId, text: known.text }];
      case 'thinking': {
        this.blocks.set(index, { kind: 'reasoning', blockId, signature: known.signature });
        const events: StreamEvent[] = [{ type: 'reasoning-start', blockId }];
        if (known.thinking !== '') events.push({ type: 'reasoning-delta', blockId, text: known.thinking });
        return events;
      }
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'reasoning', blockId });
        return [{ type: 'reasoning-start', blockId, redactedData: known.data }];
      case 'tool_use':
        if (known.name === JSON_OUTPUT_TOOL_NAME) {
          this.jsonOutput = true;
          this.blocks.set(index, { kind: 'json-text', blockId, startInput: known.input, sawInput: false });
          return [{ type: 'text-start', blockId }];
        }
        this.blocks.set(index, { kind: 'tool', blockId, startInput: known.input, sawInput: false });
        return [{ type: 'tool-input-start', blockId, toolIndex: this.toolCount++, callId: known.id, name: known.name }];
    }
  }

  private applyDelta(index: number, delta: AnyBlock): StreamEvent[] {
    const block = this.blocks.get(index);
    if (!block) return [];
    const { blockId } = block;
    if (delta.type === 'text_delta' && block.kind === 'text') {
      const { text } = parseUpstream(schemas.textDelta, delta, 'content_block_delta', 'delta');
      return text === '' ? [] : [{ type: 'text-delta', blockId, text }];
    }
    if (delta.type === 'thinking_delta' && block.kind === 'reasoning') {
      const { thinking } = parseUpstream(schemas.thinkingDelta, delta, 'content_block_delta', 'delta');
      return thinking === '' ? [] : [{ type: 'reasoning-delta', blockId, text: thinking }];
    }
    if (delta.type === 'signature_delta' && block.kind === 'reasoning') {
      block.signature = parseUpstream(schemas.signatureDelta, delta, 'content_block_delta', 'delta').signature;
      return [];
    }
    if (delta.type === 'input_json_delta' && (block.kind === 'tool' || block.kind === 'json-text')) {
      const json = parseUpstream(schemas.inputJsonDelta, delta, 'content_block_delta', 'delta').partial_json;
      if (json === '') return [];
      block.sawInput = true;
      return block.kind === 'tool'
        ? [{ type: 'tool-input-delta', blockId, argumentsDelta: json }]
        : [{ type: 'text-delta', blockId, text: json }];
    }
    return [];
  }

  private stopBlock(index: number): StreamEvent[] {
    const block = this.blocks.get(index);
    if (!block) return [];
    this.blocks.delete(index);
    const { blockId } = block;
    switch (block.kind) {
      case 'text':
        return [{ type: 'text-end', blockId }];
      case 'reasoning':
        return [{ type: 'reasoning-end', blockId, signature: block.signature }];
      case 'tool': {
        // Input normally streams as deltas; a block that arrived complete in its start event is replayed here, and a
        // call without arguments (only `""` streamed) gets `{}`, as OpenAI clients JSON.parse the arguments.
        if (block.sawInput) return [{ type: 'tool-input-end', blockId }];
        const whole = wholeInput(block.startInput) ?? '{}';
        return [{ type: 'tool-input-delta', blockId, argumentsDelta: whole }, { type: 'tool-input-end', blockId }];
      }
      case 'json-text': {
        if (block.sawInput) return [{ type: 'text-end', blockId }];
        const text = wholeInput(block.startInput) ?? '{}';
        return [{ type: 'text-delta', blockId, text }, { type: 'text-end', blockId }];
      }
    }
  }

  private usageEvents(): StreamEvent[] {
    if (!this.usage) return [];
    const usage = parseUpstream(anthropicUsageSchema, this.usage, 'usage');
    return [{ type: 'usage', usage: fromAnthropicUsage(usage, this.usage) }];
  }

  private finish(): StreamEvent[] {
    this.done = true;
    const events = this.usageEvents();
    const jsonOutputOnly = this.jsonOutput && this.toolCount === 0;
    events.push({ type: 'finish', reason: fromAnthropicStopReason(this.stopReason, this.stopSequence, jsonOutputOnly) });
    return events;
  }
}

/** The JSON text of a non-empty input object given whole, else undefined. */
function wholeInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) return undefined;
  return JSON.stringify(input);
}
