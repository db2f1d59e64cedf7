import type { AssistantPart, ProviderMetadata } from './content.js';
import type { GatewayError } from './gateway-error.js';
import type { StreamEvent } from './stream-event.js';
import type { FinishReason, Usage } from './usage.js';
import type { Warning } from './warning.js';

/** A complete model response: what a stream folds into. */
export interface CanonicalResponse {
  /** The upstream response id when it gave one. */
  id?: string;
  /** The upstream model that served (as the provider reported it, else the requested upstream model). */
  model?: string;
  content: AssistantPart[];
  finishReason: FinishReason;
  usage: Usage;
  warnings: Warning[];
}

interface OpenBlock {
  kind: 'text' | 'reasoning' | 'tool';
  index: number;
}

/** Folds stream events into one response incrementally; `result()` throws the stream's in-band error if any. */
export class ResponseCollector {
  private readonly content: AssistantPart[] = [];
  private readonly open = new Map<string, OpenBlock>();
  private usage: Usage = {};
  private finishReason: FinishReason | undefined;
  private readonly warnings: Warning[] = [];
  private id: string | undefined;
  private model: string | undefined;
  private error: GatewayError | undefined;

  /** Applies one event. */
  push(event: StreamEvent): void {
    switch (event.type) {
      case 'response-start':
        this.id = event.id ?? this.id;
        this.model = event.model ?? this.model;
        return;
      case 'text-start':
        this.open.set(event.blockId, { kind: 'text', index: this.content.push({ type: 'text', text: '' }) - 1 });
        return;
      case 'text-delta': {
        const part = this.partFor(event.blockId, 'text');
        if (part?.type === 'text') part.text += event.text;
        return;
      }
      case 'reasoning-start': {
        const part: AssistantPart = { type: 'reasoning', text: '' };
        if (event.redactedData !== undefined) part.redactedData = event.redactedData;
        if (event.providerMetadata) part.providerMetadata = event.providerMetadata;
        this.open.set(event.blockId, { kind: 'reasoning', index: this.content.push(part) - 1 });
        return;
      }
      case 'reasoning-delta': {
        const part = this.partFor(event.blockId, 'reasoning');
        if (part?.type === 'reasoning') part.text += event.text;
        return;
      }
      case 'reasoning-end': {
        const part = this.partFor(event.blockId, 'reasoning');
        if (part?.type === 'reasoning' && event.signature !== undefined) part.signature = event.signature;
        this.open.delete(event.blockId);
        return;
      }
      case 'tool-input-start': {
        const part: AssistantPart = { type: 'tool-call', callId: event.callId, name: event.name, arguments: '' };
        if (event.providerMetadata) part.providerMetadata = event.providerMetadata as ProviderMetadata;
        this.open.set(event.blockId, { kind: 'tool', index: this.content.push(part) - 1 });
        return;
      }
      case 'tool-input-delta': {
        const part = this.partFor(event.blockId, 'tool');
        if (part?.type === 'tool-call') part.arguments += event.argumentsDelta;
        return;
      }
      case 'text-end':
      case 'tool-input-end':
        this.open.delete(event.blockId);
        return;
      case 'usage':
        this.usage = event.usage;
        return;
      case 'finish':
        this.finishReason = event.reason;
        return;
      case 'warning':
        this.warnings.push(event.warning);
        return;
      case 'error':
        this.error = event.error;
        return;
    }
  }

  /** The folded response; throws the in-band error when the stream carried one. */
  result(): CanonicalResponse {
    if (this.error) throw this.error;
    const response: CanonicalResponse = {
      content: this.content.filter((part) => part.type !== 'text' || part.text !== ''),
      finishReason: this.finishReason ?? { unified: 'other' },
      usage: this.usage,
      warnings: this.warnings,
    };
    if (this.id !== undefined) response.id = this.id;
    if (this.model !== undefined) response.model = this.model;
    return response;
  }

  private partFor(blockId: string, kind: OpenBlock['kind']): AssistantPart | undefined {
    const block = this.open.get(blockId);
    if (!block || block.kind !== kind) return undefined;
    return this.content[block.index];
  }
}

/** Folds a whole event list (or async stream) into a response. */
export async function collectStream(events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>): Promise<CanonicalResponse> {
  const collector = new ResponseCollector();
  for await (const event of events) collector.push(event);
  return collector.result();
}

/** Replays a complete response as the event sequence a stream of it would have produced. */
export function responseToEvents(response: CanonicalResponse): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'response-start', id: response.id, model: response.model }];
  for (const warning of response.warnings) events.push({ type: 'warning', warning });
  let toolIndex = 0;
  response.content.forEach((part, i) => {
    const blockId = String(i);
    if (part.type === 'text') {
      events.push({ type: 'text-start', blockId }, { type: 'text-delta', blockId, text: part.text }, { type: 'text-end', blockId });
    } else if (part.type === 'reasoning') {
      events.push({ type: 'reasoning-start', blockId, redactedData: part.redactedData, providerMetadata: part.providerMetadata });
      if (part.text !== '') events.push({ type: 'reasoning-delta', blockId, text: part.text });
      events.push({ type: 'reasoning-end', blockId, signature: part.signature });
    } else {
      events.push({
        type: 'tool-input-start',
        blockId,
        toolIndex: toolIndex++,
        callId: part.callId,
        name: part.name,
        providerMetadata: part.providerMetadata,
      });
      if (part.arguments !== '') events.push({ type: 'tool-input-delta', blockId, argumentsDelta: part.arguments });
      events.push({ type: 'tool-input-end', blockId });
    }
  });
  events.push({ type: 'usage', usage: response.usage }, { type: 'finish', reason: response.finishReason });
  return events;
}

