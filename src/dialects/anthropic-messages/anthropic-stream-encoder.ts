import { ERROR_TABLE, type FinishReason, type StreamEvent, type Usage } from '../../core/index.js';
import type { RenderContext, StreamEncoder } from '../dialect.js';
import { toAnthropicStopReason } from '../../wire/anthropic-messages/anthropic-stop-reason.js';
import { anthropicMessageId } from './render-anthropic-response.js';
import { toAnthropicUsage } from '../../wire/anthropic-messages/anthropic-usage.js';

/** One named SSE event; the official SDK dispatches on the `event:` line, so it must equal the payload type. */
function frame(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

/**
 * Encodes canonical stream events as Anthropic's named SSE events: exactly one `message_start`, carrying the input
 * token count (the upstream's, or the gateway's estimate when the upstream reports it only at the end). Content-block
 * indexes count every block (text, thinking, tool_use) in the order they open. `message_delta` waits until both the finish reason and usage are known
 * (or the stream ends); `message_stop` comes from `end()`, and never after an error.
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  private started = false;
  private failed = false;
  private ended = false;
  private deltaSent = false;
  private nextIndex = 0;
  private readonly open = new Map<string, number>();
  private usage: Usage | undefined;
  private finish: FinishReason | undefined;

  constructor(private readonly context: RenderContext) {}

  /** Encodes one event; '' when it has no Anthropic representation or the stream already failed or ended. */
  encode(event: StreamEvent): string {
    if (this.failed || this.ended) return '';
    switch (event.type) {
      case 'response-start':
        // message_start waits for the first block (or the end), so usage decoded with the upstream's start is in it.
        return '';
      case 'text-start':
        return this.openBlock(event.blockId, { type: 'text', text: '' });
      case 'text-delta':
        return event.text === '' ? '' : this.delta(event.blockId, { type: 'text_delta', text: event.text });
      case 'reasoning-start':
        return this.openBlock(
          event.blockId,
          event.redactedData !== undefined
            ? { type: 'redacted_thinking', data: event.redactedData }
            : { type: 'thinking', thinking: '', signature: '' },
        );
      case 'reasoning-delta':
        return event.text === '' ? '' : this.delta(event.blockId, { type: 'thinking_delta', thinking: event.text });
      case 'reasoning-end': {
        const { blockId, signature } = event;
        const signatureDelta = signature === undefined ? '' : this.delta(blockId, { type: 'signature_delta', signature });
        return signatureDelta + this.closeBlock(blockId);
      }
      case 'tool-input-start':
        return this.openBlock(event.blockId, { type: 'tool_use', id: event.callId, name: event.name, input: {} });
      case 'tool-input-delta':
        return this.delta(event.blockId, { type: 'input_json_delta', partial_json: event.argumentsDelta });
      case 'text-end':
      case 'tool-input-end':
        return this.closeBlock(event.blockId);
      case 'usage':
        this.usage = event.usage;
        return this.finish !== undefined ? this.messageDelta() : '';
      case 'finish':
        this.finish = event.reason;
        return this.start() + this.closeAll() + (this.usage !== undefined ? this.messageDelta() : '');
      case 'warning':
      case 'wire':
        return '';
      case 'error':
        this.failed = true;
        return frame('error', {
          error: { type: ERROR_TABLE[event.error.code].anthropic, message: event.error.message },
        });
    }
  }

  /** Closes open blocks, sends any pending `message_delta`, then `message_stop`; '' after an error. */
  end(): string {
    if (this.failed || this.ended) return '';
    const out = this.start() + this.closeAll() + this.messageDelta() + frame('message_stop', {});
    this.ended = true;
    return out;
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return frame('message_start', {
      message: {
        id: anthropicMessageId(this.context),
        type: 'message',
        role: 'assistant',
        model: this.context.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: { ...toAnthropicUsage(this.startUsage()), output_tokens: 0 },
      },
    });
  }

  /** Usage for message_start: the upstream's input count when already known, else the gateway's own estimate. */
  private startUsage(): Usage {
    const usage = this.usage ?? {};
    if (usage.inputTokens !== undefined || !this.context.estimatePromptTokens) return usage;
    return { ...usage, inputTokens: this.context.estimatePromptTokens() };
  }

  private openBlock(blockId: string, contentBlock: Record<string, unknown>): string {
    const index = this.nextIndex++;
    this.open.set(blockId, index);
    return this.start() + frame('content_block_start', { index, content_block: contentBlock });
  }

  private delta(blockId: string, delta: Record<string, unknown>): string {
    const index = this.open.get(blockId);
    return index === undefined ? '' : frame('content_block_delta', { index, delta });
  }

  private closeBlock(blockId: string): string {
    const index = this.open.get(blockId);
    if (index === undefined) return '';
    this.open.delete(blockId);
    return frame('content_block_stop', { index });
  }

  private closeAll(): string {
    let out = '';
    for (const blockId of [...this.open.keys()]) out += this.closeBlock(blockId);
    return out;
  }

  private messageDelta(): string {
    if (this.deltaSent) return '';
    this.deltaSent = true;
    const { stopReason, stopSequence } = toAnthropicStopReason(this.finish ?? { unified: 'other' });
    const usage = toAnthropicUsage(this.usage ?? {});
    return frame('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: null },
      usage: {
        output_tokens: usage.output_tokens,
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
      },
    });
  }
}
