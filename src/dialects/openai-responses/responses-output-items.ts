import type { CanonicalRequest, ToolChoice } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';

/** An output text part as the Responses API renders it. */
export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

/** An assistant message output item. */
export function messageItem(id: string, text: string | undefined, status: 'in_progress' | 'completed'): Record<string, unknown> {
  return { type: 'message', id, status, role: 'assistant', content: text === undefined ? [] : [outputTextPart(text)] };
}

/** A reasoning output item; the text is carried as its summary, which is what OpenAI clients show. */
export function reasoningItem(id: string, text: string | undefined): Record<string, unknown> {
  return { type: 'reasoning', id, summary: text === undefined ? [] : [{ type: 'summary_text', text }] };
}

/** A function call output item, with the namespace split back out of a flattened namespaced tool name. */
export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: 'in_progress' | 'completed',
  request: CanonicalRequest | undefined,
): Record<string, unknown> {
  const namespace = request?.tools?.find((tool) => tool.name === call.name)?.namespace;
  const name = namespace === undefined ? call.name : call.name.slice(namespace.length + 2);
  return {
    type: 'function_call',
    id,
    call_id: call.callId,
    name,
    ...(namespace === undefined ? {} : { namespace }),
    arguments: call.arguments,
    status,
  };
}

function renderToolChoice(choice: ToolChoice | undefined): unknown {
  if (choice === undefined) return 'auto';
  if (choice.type === 'tool') return { type: 'function', name: choice.name };
  return choice.type;
}

function renderTools(request: CanonicalRequest | undefined): unknown[] {
  return (request?.tools ?? []).map((tool) => ({
    type: 'function',
    name: tool.name,
    description: tool.description ?? null,
    parameters: tool.parameters,
    strict: tool.strict ?? null,
  }));
}

function renderTextFormat(request: CanonicalRequest | undefined): unknown {
  const format = request?.responseFormat;
  if (format === undefined || format.type === 'text') return { type: 'text' };
  if (format.type === 'json') return { type: 'json_object' };
  return { type: 'json_schema', name: format.name, schema: format.schema, strict: format.strict ?? null, description: format.description ?? null };
}

/** The id of the response a request produces. */
export function responseId(context: RenderContext): string {
  return `resp_${context.requestId}`;
}

/** What a Responses request says about its own keeping, echoed in every Response object it produces. */
export interface ResponsesLifecycle {
  /** Whether the response is stored (`store`, default true). */
  store: boolean;
  /** Whether it runs detached from the request (`background: true`). */
  background: boolean;
  /** The stored response this one continues. */
  previousResponseId: string | null;
}

/** A request that names none of these: stored, in the foreground, starting a conversation. */
export const DEFAULT_LIFECYCLE: ResponsesLifecycle = { store: true, background: false, previousResponseId: null };

/** The fields of a Response object that echo the request, shared by the full body and every streamed snapshot. */
export function responseEnvelope(context: RenderContext, lifecycle: ResponsesLifecycle = DEFAULT_LIFECYCLE): Record<string, unknown> {
  const request = context.request;
  const instructions = request?.messages[0]?.role === 'system' && request.messages[0].developer !== true ? request.messages[0].content.map((part) => part.text).join('') : null;
  return {
    id: responseId(context),
    object: 'response',
    created_at: context.created,
    model: context.model,
    instructions,
    max_output_tokens: request?.maxOutputTokens ?? null,
    metadata: request?.metadata ?? {},
    parallel_tool_calls: request?.parallelToolCalls ?? true,
    previous_response_id: lifecycle.previousResponseId,
    background: lifecycle.background,
    reasoning: { effort: request?.reasoning?.effort ?? null, summary: null },
    store: lifecycle.store,
    temperature: request?.temperature ?? null,
    text: { format: renderTextFormat(request) },
    tool_choice: renderToolChoice(request?.toolChoice),
    tools: renderTools(request),
    top_p: request?.topP ?? null,
    truncation: 'disabled',
    error: null,
  };
}
