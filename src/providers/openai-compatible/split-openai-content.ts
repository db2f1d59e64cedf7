import type { OpenAIContent } from '../../wire/openai-chat/openai-chat-response-schemas.js';

export interface ContentPiece {
  kind: 'text' | 'reasoning';
  text: string;
}

/**
 * Flattens `content` (a string, or Mistral-style chunks where `thinking` chunks hold reasoning) into ordered
 * text and reasoning pieces, skipping empty ones.
 */
export function splitOpenAIContent(content: OpenAIContent | null | undefined): ContentPiece[] {
  if (content === null || content === undefined || content === '') return [];
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  const pieces: ContentPiece[] = [];
  for (const chunk of content) {
    if (chunk.type === 'thinking') {
      const text = (chunk.thinking ?? []).map((inner) => inner.text ?? '').join('');
      if (text !== '') pieces.push({ kind: 'reasoning', text });
    } else if (typeof chunk.text === 'string' && chunk.text !== '') pieces.push({ kind: 'text', text: chunk.text });
  }
  return pieces;
}

/** Reads the reasoning text of a message or delta: DeepSeek/Qwen `reasoning_content`, or `reasoning` (Groq, vLLM). */
export function readReasoningText(fields: { reasoning_content?: string | null; reasoning?: unknown }): string {
  if (typeof fields.reasoning_content === 'string') return fields.reasoning_content;
  return typeof fields.reasoning === 'string' ? fields.reasoning : '';
}
