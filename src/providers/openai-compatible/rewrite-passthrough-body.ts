import { isRecord, type CanonicalRequest } from '../../core/index.js';
import { withUsageRequested } from './build-openai-chat-body.js';
import { convertReasoningOptions } from './convert-reasoning-options.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';
import { toMistralToolCallId } from './to-mistral-tool-call-id.js';

type JsonObject = Record<string, unknown>;

function rewriteMessage(message: unknown, quirks: OpenAIFamilyQuirks): unknown {
  if (!isRecord(message)) return message;
  const out: JsonObject = { ...message };
  if (out.role === 'developer' && !quirks.supportsDeveloperRole) out.role = 'system';
  if (!quirks.mistralTools) return out;
  if (out.role === 'tool' && typeof out.tool_call_id === 'string') out.tool_call_id = toMistralToolCallId(out.tool_call_id);
  if (Array.isArray(out.tool_calls)) {
    out.tool_calls = out.tool_calls.map((call: unknown) =>
      isRecord(call) && typeof call.id === 'string' ? { ...call, id: toMistralToolCallId(call.id) } : call,
    );
  }
  return out;
}

/** Whether `rewriteMessage` changes anything in a message (else it only copies it). */
function rewritesMessage(message: unknown, quirks: OpenAIFamilyQuirks): boolean {
  if (!isRecord(message)) return false;
  if (message.role === 'developer' && !quirks.supportsDeveloperRole) return true;
  return quirks.mistralTools && ((message.role === 'tool' && typeof message.tool_call_id === 'string') || Array.isArray(message.tool_calls));
}

/** Whether any message of the body needs a rewrite; most bodies go out with the client's messages as they are. */
function rewritesAnyMessage(messages: readonly unknown[], quirks: OpenAIFamilyQuirks): boolean {
  for (const message of messages) if (rewritesMessage(message, quirks)) return true;
  return false;
}

function forcedFunctionName(choice: unknown): string | undefined {
  if (!isRecord(choice) || !isRecord(choice.function)) return undefined;
  return typeof choice.function.name === 'string' ? choice.function.name : undefined;
}

function rewriteMistralToolChoice(body: JsonObject): void {
  if (body.tool_choice === 'required') body.tool_choice = 'any';
  const forced = forcedFunctionName(body.tool_choice);
  if (forced === undefined) return;
  body.tool_choice = 'any';
  if (Array.isArray(body.tools)) {
    body.tools = body.tools.filter((tool: unknown) => isRecord(tool) && forcedFunctionName(tool) === forced);
  }
}

function renameField(body: JsonObject, from: string, to: string): void {
  if (body[from] === undefined || from === to) return;
  if (body[to] === undefined) body[to] = body[from];
  delete body[from];
}

/**
 * Same-format pass-through: forwards the client's OpenAI body with every unknown field kept, the model replaced,
 * stream usage always requested, and only the fields rewritten that the target vendor would otherwise reject.
 */
export function rewritePassthroughBody(request: CanonicalRequest, clientBody: JsonObject, model: string, quirks: OpenAIFamilyQuirks): JsonObject {
  const requestsUsage = clientBody.stream === true && quirks.sendsStreamOptions;
  // `stream_options` is declared ahead of the spread: a key new to the copy, added after it (in the literal or by
  // assignment), goes through V8's runtime, about 1 µs per streamed request; declared first, it is a plain store.
  const body: JsonObject = requestsUsage ? { stream_options: undefined, ...clientBody, model } : { ...clientBody, model };
  if (requestsUsage) body.stream_options = withUsageRequested(clientBody.stream_options);
  if (!quirks.sendsStreamOptions) delete body.stream_options;
  // The body is serialised at once and never changed, so messages that need no rewrite are sent as the client's.
  if (Array.isArray(body.messages) && rewritesAnyMessage(body.messages, quirks)) body.messages = body.messages.map((message: unknown) => rewriteMessage(message, quirks));
  if (quirks.maxTokensField === 'max_tokens') renameField(body, 'max_completion_tokens', 'max_tokens');
  renameField(body, 'seed', quirks.seedField);
  if (quirks.mistralTools) rewriteMistralToolChoice(body);
  if (quirks.qwenThinking) {
    for (const [key, value] of Object.entries(convertReasoningOptions(request, quirks).fields)) {
      if (body[key] === undefined) body[key] = value;
    }
  }
  return body;
}
