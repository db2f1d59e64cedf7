import type { Dialect } from '../dialects/dialect.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/index.js';
import { geminiDialect } from '../dialects/gemini/index.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';

/**
 * The client format of a request the router could not match to a route (a malformed or over-long URL): Gemini under
 * `/v1beta/`, Anthropic under `/v1/messages`, OpenAI otherwise.
 */
export function dialectForPath(url: string): Dialect {
  if (url.startsWith('/v1beta/')) return geminiDialect;
  if (url.startsWith('/v1/messages')) return anthropicMessagesDialect;
  return openAIChatDialect;
}
