import type { FinishReason, GatewayError, StreamEvent, Usage } from '../../core/index.js';
import type { RenderContext, StreamEncoder } from '../dialect.js';
import { toOpenAIResponsesOutcome } from '../../wire/openai-responses/openai-responses-status.js';
import { toOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import { renderOpenAIErrorBody } from '../openai-chat/render-openai-error.js';
import { DEFAULT_LIFECYCLE, functionCallItem, messageItem, outputTextPart, reasoningItem, responseEnvelope, type ResponsesLifecycle } from './responses-output-items.js';

interface OpenItem {
  kind: 'text' | 'reasoning' | 'tool';
  id: string;
  outputIndex: number;
  text: string;
  callId: string;
  name: string;
}

/**
 * Encodes canonical stream events as the Responses API's typed server-sent events, each with its `sequence_number`:
 * `response.created`, `response.in_progress`, then per block an output item (added → part/deltas → done), then
 * `response.completed` (or `response.incomplete`). An error ends the stream with `response.failed` and an `error`
 * event (which also carries OpenAI's `{error}` body), so the SDK raises instead of finishing cleanly.
 */
class OpenAIResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private started = false;
  private done = false;
  private readonly open = new Map<string, OpenItem>();
  private readonly output: Array<Record<string, unknown>> = [];
  private usage: Usage = {};
  private readonly base: string;

  constructor(
    private readonly context: RenderContext,
    private readonly lifecycle: ResponsesLifecycle,
  ) {
    this.base = context.requestId;
  }

  encode(event: StreamEvent): string {
    if (this.done) return '';
    switch (event.type) {
      case 'response-start':
        return this.start();
      case 'text-start':
        return this.start() + this.openText(event.blockId);
      case 'text-delta':
        return this.textDelta(event.blockId, event.text);
      case 'text-end':
        return this.close(event.blockId);
      case 'reasoning-start':
        return this.start() + this.openReasoning(event.blockId);
      case 'reasoning-delta':
        return this.reasoningDelta(event.blockId, event.text);
      case 'reasoning-end':
        return this.close(event.blockId);
      case 'tool-input-start':
        return this.start() + this.openTool(event.blockId, event.callId, event.name);
      case 'tool-input-delta':
        return this.toolDelta(event.blockId, event.argumentsDelta);
      case 'tool-input-end':
        return this.close(event.blockId);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        return this.finish(event.reason);
      case 'error':
        return this.fail(event.error);
      default:
        return '';
    }
  }

  end(): string {
    return this.done ? '' : this.finish({ unified: 'stop' });
  }

  private frame(type: string, payload: Record<string, unknown>): string {
    const data = { type, sequence_number: this.sequence++, ...payload };
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }

  private snapshot(status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { ...responseEnvelope(this.context, this.lifecycle), status, incomplete_details: null, output: [...this.output], usage: null, ...extra };
  }

  private start(): string {
    if (this.started) return '';
    this.started = true;
    return this.frame('response.created', { response: this.snapshot('in_progress') }) +
      this.frame('response.in_progress', { response: this.snapshot('in_progress') });
  }

  private add(blockId: string, kind: OpenItem['kind'], prefix: string, callId = '', name = ''): OpenItem {
    const outputIndex = this.output.length + this.open.size;
    const item: OpenItem = { kind, id: `${prefix}_${this.base}_${outputIndex}`, outputIndex, text: '', callId, name };
    this.open.set(blockId, item);
    return item;
  }

  private openText(blockId: string): string {
    const item = this.add(blockId, 'text', 'msg');
    const at = { item_id: item.id, output_index: item.outputIndex, content_index: 0 };
    return this.frame('response.output_item.added', { output_index: item.outputIndex, item: messageItem(item.id, undefined, 'in_progress') }) +
      this.frame('response.content_part.added', { ...at, part: outputTextPart('') });
  }

  private textDelta(blockId: string, text: string): string {
    const item = this.open.get(blockId);
    if (item?.kind !== 'text' || text === '') return '';
    item.text += text;
    return this.frame('response.output_text.delta', { item_id: item.id, output_index: item.outputIndex, content_index: 0, delta: text, logprobs: [] });
  }

  private openReasoning(blockId: string): string {
    const item = this.add(blockId, 'reasoning', 'rs');
    return this.frame('response.output_item.added', { output_index: item.outputIndex, item: reasoningItem(item.id, undefined) }) +
      this.frame('response.reasoning_summary_part.added', {
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        part: { type: 'summary_text', text: '' },
      });
  }

  private reasoningDelta(blockId: string, text: string): string {
    const item = this.open.get(blockId);
    if (item?.kind !== 'reasoning' || text === '') return '';
    item.text += text;
    return this.frame('response.reasoning_summary_text.delta', { item_id: item.id, output_index: item.outputIndex, summary_index: 0, delta: text });
  }

  private openTool(blockId: string, callId: string, name: string): string {
    const item = this.add(blockId, 'tool', 'fc', callId, name);
    const rendered = functionCallItem(item.id, { callId, name, arguments: '' }, 'in_progress', this.context.request);
    return this.frame('response.output_item.added', { output_index: item.outputIndex, item: rendered });
  }

  private toolDelta(blockId: string, delta: string): string {
    const item = this.open.get(blockId);
    if (item?.kind !== 'tool' || delta === '') return '';
    item.text += delta;
    return this.frame('response.function_call_arguments.delta', { item_id: item.id, output_index: item.outputIndex, delta });
  }

  /** Closes one block's item with its `…done` events, and keeps the finished item for the final response. */
  private close(blockId: string): string {
    const item = this.open.get(blockId);
    if (!item) return '';
    this.open.delete(blockId);
    const at = { item_id: item.id, output_index: item.outputIndex };
    let out = '';
    let done: Record<string, unknown>;
    if (item.kind === 'text') {
      done = messageItem(item.id, item.text, 'completed');
      out += this.frame('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] });
      out += this.frame('response.content_part.done', { ...at, content_index: 0, part: outputTextPart(item.text) });
    } else if (item.kind === 'reasoning') {
      done = reasoningItem(item.id, item.text);
      out += this.frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text });
      out += this.frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: item.text } });
    } else {
      const args = item.text === '' ? '{}' : item.text;
      done = functionCallItem(item.id, { callId: item.callId, name: item.name, arguments: args }, 'completed', this.context.request);
      out += this.frame('response.function_call_arguments.done', { ...at, name: done.name, arguments: args });
    }
    this.output[item.outputIndex] = done;
    return out + this.frame('response.output_item.done', { output_index: item.outputIndex, item: done });
  }

  private closeAll(): string {
    let out = '';
    for (const blockId of [...this.open.keys()]) out += this.close(blockId);
    return out;
  }

  private finish(reason: FinishReason): string {
    const out = this.start() + this.closeAll();
    this.done = true;
    const outcome = toOpenAIResponsesOutcome(reason);
    const response = this.snapshot(outcome.status, { ...outcome, usage: toOpenAIResponsesUsage(this.usage) });
    return out + this.frame(outcome.status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  private fail(error: GatewayError): string {
    const out = this.start();
    this.done = true;
    const body = renderOpenAIErrorBody(error).error;
    // The `error` object beside the spec's flat fields is what makes the official SDK raise an APIError.
    return out +
      this.frame('response.failed', { response: this.snapshot('failed', { error: { code: error.code, message: error.message } }) }) +
      this.frame('error', { code: body.code, message: body.message, param: body.param, error: body });
  }
}

/** Creates the per-stream encoder for a Responses API client. */
export function createOpenAIResponsesStreamEncoder(context: RenderContext, lifecycle: ResponsesLifecycle = DEFAULT_LIFECYCLE): StreamEncoder {
  return new OpenAIResponsesStreamEncoder(context, lifecycle);
}
