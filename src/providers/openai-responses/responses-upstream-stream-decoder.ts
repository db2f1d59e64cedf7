import { GatewayError, isRecord, type StreamEvent } from '../../core/index.js';
import { fromOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import type { SseEvent, StreamDecoder } from '../provider-adapter.js';
import { responsesFailure, responsesFinishReason } from './responses-upstream-outcome.js';

interface OpenItem {
  kind: 'text' | 'reasoning' | 'tool';
  blockId: string;
}

/**
 * Decodes a Responses API SSE stream (typed events: `response.output_item.added`, `…output_text.delta`,
 * `…reasoning_summary_text.delta`, `…function_call_arguments.delta`, `…output_item.done`, then `response.completed`,
 * `response.incomplete` or `response.failed`, or an `error` event) into canonical events. Blocks are keyed by
 * `output_index`; a stream that closes before its terminal event is an error.
 */
export class ResponsesUpstreamStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private toolCount = 0;
  private readonly open = new Map<number, OpenItem>();

  constructor(private readonly providerId: string) {}

  push(event: SseEvent): StreamEvent[] {
    if (this.closed) return [];
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return [];
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return this.fail(new GatewayError('upstream_malformed_response', `${this.providerId} sent a stream event that is not JSON`, { provider: this.providerId }));
    }
    if (!isRecord(payload)) return [];
    const type = typeof payload.type === 'string' ? payload.type : (event.event ?? '');
    const out: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      const response = isRecord(payload.response) ? payload.response : {};
      out.push({ type: 'response-start', ...(typeof response.id === 'string' ? { id: response.id } : {}), ...(typeof response.model === 'string' ? { model: response.model } : {}) });
    }
    const index = typeof payload.output_index === 'number' ? payload.output_index : -1;
    switch (type) {
      case 'response.output_item.added':
        out.push(...this.openItem(index, payload.item));
        break;
      case 'response.output_text.delta':
        out.push(...this.delta(index, 'text', payload.delta));
        break;
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        out.push(...this.delta(index, 'reasoning', payload.delta));
        break;
      case 'response.function_call_arguments.delta':
        out.push(...this.delta(index, 'tool', payload.delta));
        break;
      case 'response.output_item.done':
        out.push(...this.closeItem(index));
        break;
      case 'response.completed':
      case 'response.incomplete':
        out.push(...this.finish(isRecord(payload.response) ? payload.response : {}));
        break;
      case 'response.failed':
        out.push(...this.fail(responsesFailure(isRecord(payload.response) ? payload.response.error : undefined, this.providerId)));
        break;
      case 'error':
        out.push(...this.fail(responsesFailure(isRecord(payload.error) ? payload.error : payload, this.providerId)));
        break;
    }
    return out;
  }

  end(): StreamEvent[] {
    if (this.closed) return [];
    return this.fail(new GatewayError('upstream_connection_error', `${this.providerId} closed the stream before response.completed`, { provider: this.providerId }));
  }

  private openItem(index: number, item: unknown): StreamEvent[] {
    if (!isRecord(item) || this.open.has(index)) return [];
    const blockId = String(index);
    if (item.type === 'message') {
      this.open.set(index, { kind: 'text', blockId });
      return [{ type: 'text-start', blockId }];
    }
    if (item.type === 'reasoning') {
      this.open.set(index, { kind: 'reasoning', blockId });
      return [{ type: 'reasoning-start', blockId }];
    }
    if (item.type === 'function_call' && typeof item.name === 'string') {
      this.open.set(index, { kind: 'tool', blockId });
      const callId = typeof item.call_id === 'string' ? item.call_id : `call_${index}`;
      return [{ type: 'tool-input-start', blockId, toolIndex: this.toolCount++, callId, name: item.name }];
    }
    return [];
  }

  private delta(index: number, kind: OpenItem['kind'], delta: unknown): StreamEvent[] {
    const item = this.open.get(index);
    if (item?.kind !== kind || typeof delta !== 'string' || delta === '') return [];
    if (kind === 'text') return [{ type: 'text-delta', blockId: item.blockId, text: delta }];
    if (kind === 'reasoning') return [{ type: 'reasoning-delta', blockId: item.blockId, text: delta }];
    return [{ type: 'tool-input-delta', blockId: item.blockId, argumentsDelta: delta }];
  }

  private closeItem(index: number): StreamEvent[] {
    const item = this.open.get(index);
    if (!item) return [];
    this.open.delete(index);
    if (item.kind === 'text') return [{ type: 'text-end', blockId: item.blockId }];
    if (item.kind === 'reasoning') return [{ type: 'reasoning-end', blockId: item.blockId }];
    return [{ type: 'tool-input-end', blockId: item.blockId }];
  }

  private closeAll(): StreamEvent[] {
    return [...this.open.keys()].flatMap((index) => this.closeItem(index));
  }

  private finish(response: Record<string, unknown>): StreamEvent[] {
    this.closed = true;
    const calledTools = this.toolCount > 0;
    return [
      ...this.closeAll(),
      { type: 'usage', usage: fromOpenAIResponsesUsage(response.usage) },
      { type: 'finish', reason: responsesFinishReason(response, calledTools) },
    ];
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error }];
  }
}
