import type { FinishReason, StreamEvent } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import type { SseEvent, StreamDecoder } from '../provider-adapter.js';
import { fromOpenAIUsage } from '../../wire/openai-chat/openai-usage.js';
import { fromOpenAIFinishReason } from '../../wire/openai-chat/openai-finish-reason.js';
import { mapOpenAIStreamError } from './map-openai-error.js';
import type { OpenAIChatChunk, OpenAIDelta, OpenAIToolCallFragment } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { describeFirstIssue, openAIChatChunkSchema } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { plainTextDelta } from './plain-text-delta.js';
import { readOpenAIChunk } from './read-openai-chunk.js';
import { readReasoningText, splitOpenAIContent } from './split-openai-content.js';

interface ToolState {
  blockId: string;
  callId: string;
  name: string;
  /** Arguments received before the call's name was known. */
  pending: string;
  started: boolean;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function hasError(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'error' in value && value.error !== null && value.error !== undefined;
}

/**
 * Decodes one Chat Completions SSE stream into StreamEvents. Tool calls are keyed by `index`; `finish` is held
 * until `[DONE]` or `end()` because OpenAI sends the usage chunk after the finish chunk.
 */
export class OpenAIStreamDecoder implements StreamDecoder {
  private started = false;
  private closed = false;
  private nextBlock = 0;
  private toolCount = 0;
  private textBlock: string | undefined;
  private reasoningBlock: string | undefined;
  private readonly tools = new Map<number, ToolState>();
  private lastToolIndex = -1;
  private refused = false;
  private finish: FinishReason | undefined;

  constructor(private readonly providerId: string) {}

  /** Decodes one SSE event. */
  push(event: SseEvent): StreamEvent[] {
    if (this.closed) return [];
    if (event.event === 'error') return this.fail(mapOpenAIStreamError(event.data, this.providerId));
    const data = event.data.trim();
    if (data === '') return [];
    if (data === '[DONE]') return this.close();
    const json = parseJson(data);
    if (!json.ok) return this.fail(this.malformed('a stream chunk that is not JSON'));
    if (hasError(json.value)) return this.fail(mapOpenAIStreamError(json.value, this.providerId));
    if (this.started && this.finish === undefined) {
      const text = plainTextDelta(json.value);
      if (text !== undefined) {
        const out: StreamEvent[] = [];
        if (text !== '') this.appendText(text, out);
        return out;
      }
    }
    const common = readOpenAIChunk(json.value);
    if (common !== undefined) return this.decodeChunk(common);
    const chunk = openAIChatChunkSchema.safeParse(json.value);
    if (!chunk.success) return this.fail(this.malformed(`an unexpected stream chunk (${describeFirstIssue(chunk.error)})`));
    return this.decodeChunk(chunk.data);
  }

  /**
   * True when a plain text delta (see plainTextDelta) pushed now would decode to text block events and nothing else:
   * the stream has started and has neither finished nor closed. A caller that keeps no block events may then leave
   * such a frame unread.
   */
  get plainTextOnlyAppends(): boolean {
    return this.started && this.finish === undefined && !this.closed;
  }

  /** Flushes the held finish, or reports truncation when the stream never finished. */
  end(): StreamEvent[] {
    return this.closed ? [] : this.close();
  }

  private decodeChunk(chunk: OpenAIChatChunk): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      const start: StreamEvent = { type: 'response-start' };
      if (chunk.id) start.id = chunk.id;
      if (chunk.model) start.model = chunk.model;
      out.push(start);
    }
    const choices = chunk.choices ?? [];
    const choice = choices.find((c) => (c.index ?? 0) === 0) ?? choices[0];
    if (choice !== undefined && this.finish === undefined) {
      if (choice.delta) this.decodeDelta(choice.delta, out);
      if (choice.finish_reason) {
        this.finish = fromOpenAIFinishReason(choice.finish_reason, this.refused);
        this.closeBlocks(out);
      }
    }
    const usage = chunk.usage ?? chunk.x_groq?.usage;
    if (usage) out.push({ type: 'usage', usage: fromOpenAIUsage(usage) });
    return out;
  }

  private decodeDelta(delta: OpenAIDelta, out: StreamEvent[]): void {
    const reasoning = readReasoningText(delta);
    if (reasoning !== '') this.appendReasoning(reasoning, out);
    for (const piece of splitOpenAIContent(delta.content)) {
      if (piece.kind === 'text') this.appendText(piece.text, out);
      else this.appendReasoning(piece.text, out);
    }
    if (delta.refusal) {
      this.refused = true;
      this.appendText(delta.refusal, out);
    }
    for (const fragment of delta.tool_calls ?? []) this.decodeToolFragment(fragment, out);
  }

  private appendText(text: string, out: StreamEvent[]): void {
    this.endReasoning(out);
    if (this.textBlock === undefined) {
      this.textBlock = this.newBlockId();
      out.push({ type: 'text-start', blockId: this.textBlock });
    }
    out.push({ type: 'text-delta', blockId: this.textBlock, text });
  }

  private appendReasoning(text: string, out: StreamEvent[]): void {
    this.endText(out);
    if (this.reasoningBlock === undefined) {
      this.reasoningBlock = this.newBlockId();
      out.push({ type: 'reasoning-start', blockId: this.reasoningBlock });
    }
    out.push({ type: 'reasoning-delta', blockId: this.reasoningBlock, text });
  }

  private decodeToolFragment(fragment: OpenAIToolCallFragment, out: StreamEvent[]): void {
    const opensCall = Boolean(fragment.id) || Boolean(fragment.function?.name);
    // Mistral sometimes omits `index` on a whole call: a fragment with an id or name then starts the next call.
    const index = fragment.index ?? (opensCall ? this.lastToolIndex + 1 : Math.max(this.lastToolIndex, 0));
    let tool = this.tools.get(index);
    if (tool === undefined) {
      this.endText(out);
      this.endReasoning(out);
      tool = { blockId: this.newBlockId(), callId: '', name: '', pending: '', started: false };
      this.tools.set(index, tool);
      this.lastToolIndex = Math.max(this.lastToolIndex, index);
    }
    // Qwen repeats `"id":""` on every fragment: never let an empty id replace the stored one.
    if (fragment.id && tool.callId === '') tool.callId = fragment.id;
    if (fragment.function?.name && tool.name === '') tool.name = fragment.function.name;
    const args = fragment.function?.arguments ?? '';
    if (tool.started) {
      if (args !== '') out.push({ type: 'tool-input-delta', blockId: tool.blockId, argumentsDelta: args });
      return;
    }
    tool.pending += args;
    if (tool.name !== '') this.startTool(tool, out);
  }

  private startTool(tool: ToolState, out: StreamEvent[]): void {
    tool.started = true;
    const toolIndex = this.toolCount++;
    const callId = tool.callId || `call_${toolIndex}`;
    out.push({ type: 'tool-input-start', blockId: tool.blockId, toolIndex, callId, name: tool.name });
    if (tool.pending !== '') out.push({ type: 'tool-input-delta', blockId: tool.blockId, argumentsDelta: tool.pending });
    tool.pending = '';
  }

  private closeBlocks(out: StreamEvent[]): void {
    this.endText(out);
    this.endReasoning(out);
    for (const tool of this.tools.values()) {
      if (!tool.started) this.startTool(tool, out);
      out.push({ type: 'tool-input-end', blockId: tool.blockId });
    }
  }

  private endText(out: StreamEvent[]): void {
    if (this.textBlock === undefined) return;
    out.push({ type: 'text-end', blockId: this.textBlock });
    this.textBlock = undefined;
  }

  private endReasoning(out: StreamEvent[]): void {
    if (this.reasoningBlock === undefined) return;
    out.push({ type: 'reasoning-end', blockId: this.reasoningBlock });
    this.reasoningBlock = undefined;
  }

  private close(): StreamEvent[] {
    this.closed = true;
    if (this.finish === undefined) {
      const error = new GatewayError('upstream_malformed_response', `stream ended before finish (${this.providerId})`, {
        provider: this.providerId,
      });
      return [{ type: 'error', error }];
    }
    return [{ type: 'finish', reason: this.finish }];
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.closed = true;
    return [{ type: 'error', error }];
  }

  private malformed(what: string): GatewayError {
    return new GatewayError('upstream_malformed_response', `${this.providerId} sent ${what}`, { provider: this.providerId });
  }

  private newBlockId(): string {
    return String(this.nextBlock++);
  }
}
