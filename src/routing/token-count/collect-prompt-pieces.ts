import type { CanonicalRequest, ImagePart } from '../../core/index.js';
import { ToolTextCache } from './tool-texts.js';

// Chat framing as OpenAI's cookbook counts it (and gpt-tokenizer's chat helpers reproduce): each message costs
// `<|start|>{role}<|message|>…<|end|>`, i.e. 3 framing tokens plus 1 for the role name; every prompt is primed with
// `<|start|>assistant<|message|>` (3 tokens). A tool call adds 3 tokens of call metadata; a tool list adds 9.
export const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_PROMPT = 3;
const TOKENS_PER_TOOL_CALL = 3;
const TOKENS_PER_TOOL_LIST = 9;

/** The parts of a request that occupy the context window, flattened once for counting or bounding. */
export interface PromptPieces {
  /** Every string the model reads: message text, tool-call names and arguments, tool JSON, the output schema. */
  texts: string[];
  /** Reasoning text from earlier turns, kept apart because only some providers replay it into the prompt. */
  reasoningTexts: string[];
  images: Array<ImagePart['detail']>;
  /** Chat messages as the model sees them: each tool result is its own message. */
  messageCount: number;
  toolCallCount: number;
  hasTools: boolean;
}

const toolTexts = new ToolTextCache();

/** Flattens a request into the strings, images and framing counts that make up its prompt. */
export function collectPromptPieces(request: CanonicalRequest): PromptPieces {
  const pieces: PromptPieces = { texts: [], reasoningTexts: [], images: [], messageCount: 0, toolCallCount: 0, hasTools: false };
  for (const message of request.messages) {
    if (message.role === 'tool') pieces.messageCount += Math.max(1, message.content.length);
    else pieces.messageCount += 1;
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
          pieces.texts.push(part.text);
          break;
        case 'image':
          pieces.images.push(part.detail);
          break;
        case 'tool-call':
          pieces.texts.push(part.name, part.arguments);
          pieces.toolCallCount += 1;
          break;
        case 'reasoning':
          pieces.reasoningTexts.push(part.text);
          break;
        case 'tool-result':
          for (const inner of part.content) {
            if (inner.type === 'text') pieces.texts.push(inner.text);
            else pieces.images.push(inner.detail);
          }
          break;
      }
    }
  }
  if (request.tools !== undefined && request.tools.length > 0) {
    for (const text of toolTexts.texts(request.tools)) pieces.texts.push(text);
    pieces.hasTools = true;
  }
  if (request.responseFormat?.type === 'json-schema') {
    const { name, description, schema } = request.responseFormat;
    pieces.texts.push(JSON.stringify({ name, description, schema }));
  }
  return pieces;
}

/** The framing tokens a prompt costs beyond its text and images. */
export function framingTokens(pieces: PromptPieces): number {
  return (
    pieces.messageCount * TOKENS_PER_MESSAGE +
    TOKENS_PER_PROMPT +
    pieces.toolCallCount * TOKENS_PER_TOOL_CALL +
    (pieces.hasTools ? TOKENS_PER_TOOL_LIST : 0)
  );
}
