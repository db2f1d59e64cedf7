import type { FinishReason, StreamEvent, Usage } from '../../core/index.js';
import type { RenderContext, StreamEncoder } from '../dialect.js';
import { toOpenAIFinishReason, type OpenAIFinishReason } from '../../wire/openai-chat/openai-finish-reason.js';
import { renderOpenAIErrorBody } from './render-openai-error.js';
import { toOpenAIUsage } from '../../wire/openai-chat/openai-usage.js';

type Delta = Record<string, unknown>;

const DONE = 'data: [DONE]\n\n';

function frame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}

/**
 * Encodes canonical stream events as OpenAI `chat.completion.chunk` SSE. Guarantees the client always sees a role
 * chunk, exactly one finish chunk, then (with include_usage) one usage chunk, then `[DONE]` — or, after an error,
 * an `{error}` payload and no `[DONE]`, so a failed stream never looks complete.
 */
class OpenAIChatStreamEncoder implements StreamEncoder {
  private readonly toolIndexes = new Map<string, number>();
  private roleSent = false;
  private finished = false;
  private failed = false;
  private closed = false;
  private usage: Usage = {};
  /** The text-delta chunk around its JSON-encoded text: most of a stream, so only the text is serialised per chunk. */
  private textFrame: readonly [prefix: string, suffix: string] | undefined;

  constructor(private readonly context: RenderContext) {}

  encode(event: StreamEvent): string {
    if (this.failed || this.closed) return '';
    switch (event.type) {
      case 'response-start':
        return this.roleChunk();
      case 'text-delta':
        return event.text === '' ? '' : this.textChunk(event.text);
      case 'reasoning-delta':
        return event.text === '' ? '' : this.contentChunk({ reasoning_content: event.text });
      case 'tool-input-start':
        this.toolIndexes.set(event.blockId, event.toolIndex);
        return this.contentChunk({
          tool_calls: [
            { index: event.toolIndex, id: event.callId, type: 'function', function: { name: event.name, arguments: '' } },
          ],
        });
      case 'tool-input-delta': {
        const index = this.toolIndexes.get(event.blockId);
        if (index === undefined || event.argumentsDelta === '') return '';
        return this.contentChunk({ tool_calls: [{ index, function: { arguments: event.argumentsDelta } }] });
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        return this.finishChunk(event.reason);
      case 'error':
        this.failed = true;
        return frame(renderOpenAIErrorBody(event.error));
      default:
        return '';
    }
  }

  end(): string {
    if (this.failed || this.closed) return '';
    this.closed = true;
    let out = this.finished ? '' : this.finishChunk({ unified: 'stop' });
    if (this.context.includeUsage) out += frame({ ...this.envelope([]), usage: toOpenAIUsage(this.usage) });
    return out + DONE;
  }

  private envelope(choices: unknown[]): Record<string, unknown> {
    return {
      id: `chatcmpl-${this.context.requestId}`,
      object: 'chat.completion.chunk',
      created: this.context.created,
      model: this.context.model,
      choices,
    };
  }

  private chunk(delta: Delta, finishReason: OpenAIFinishReason | null): string {
    return frame(this.envelope([{ index: 0, delta, logprobs: null, finish_reason: finishReason }]));
  }

  private roleChunk(): string {
    if (this.roleSent) return '';
    this.roleSent = true;
    return this.chunk({ role: 'assistant', content: '' }, null);
  }

  /** Content after the finish chunk would corrupt the client's accumulated message, so it is not sent. */
  private contentChunk(delta: Delta): string {
    if (this.finished) return '';
    return this.roleChunk() + this.chunk(delta, null);
  }

  private textChunk(text: string): string {
    if (this.finished) return '';
    const role = this.roleChunk();
    if (!this.textFrame) {
      // The delta is the last caller-controlled value in the chunk, so its last occurrence is the one to cut at.
      const empty = this.chunk({ content: '' }, null);
      const at = empty.lastIndexOf('{"content":""}') + '{"content":'.length;
      this.textFrame = [empty.slice(0, at), empty.slice(at + '""'.length)];
    }
    return role + this.textFrame[0] + JSON.stringify(text) + this.textFrame[1];
  }

  private finishChunk(reason: FinishReason): string {
    if (this.finished) return '';
    this.finished = true;
    return this.roleChunk() + this.chunk({}, toOpenAIFinishReason(reason));
  }
}

/** Creates the per-stream encoder for an OpenAI Chat Completions client. */
export function createOpenAIChatStreamEncoder(context: RenderContext): StreamEncoder {
  return new OpenAIChatStreamEncoder(context);
}
