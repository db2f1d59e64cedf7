import { joinText, type CanonicalRequest, type JsonSchema, type Message, type SimulatedModelConfig } from '../../core/index.js';

/** Built-in simulated models, usable as `simulated/<name>` with no configuration. */
export const BUILT_IN_SIMULATED_MODELS: Readonly<Record<string, SimulatedModelConfig>> = {
  echo: { behavior: 'echo' },
  lorem: { behavior: 'lorem', output_tokens: 48 },
  tools: { behavior: 'tools' },
  json: { behavior: 'json' },
  slow: { behavior: 'lorem', output_tokens: 32, ttft_ms: 400, tokens_per_second: 40 },
  error: { behavior: 'echo', fault: { kind: 'error', status: 500 } },
  'rate-limit': { behavior: 'echo', fault: { kind: 'rate-limit', status: 429, retry_after_s: 1 } },
  stall: { behavior: 'lorem', output_tokens: 32, fault: { kind: 'stall', after_tokens: 3 } },
};

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat'.split(
    ' ',
  );

/** What the simulated model answers: text pieces (one per streamed token) or tool calls. */
export interface SimulatedOutput {
  pieces: string[];
  toolCalls: Array<{ name: string; arguments: string }>;
}

function lastUserText(messages: Message[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message?.role === 'user') return joinText(message.content);
    if (message?.role === 'tool') return message.content.map((part) => joinText(part.content)).join('\n');
  }
  return '';
}

/** Splits text into word-sized pieces that concatenate back to the exact text. */
function splitIntoPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function sampleForSchema(schema: JsonSchema, depth = 0): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (type === 'object' || (type === undefined && typeof schema.properties === 'object')) {
    const out: Record<string, unknown> = {};
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    if (depth < 4) for (const [key, sub] of Object.entries(properties)) out[key] = sampleForSchema(sub, depth + 1);
    return out;
  }
  if (type === 'array') return depth < 4 && schema.items ? [sampleForSchema(schema.items as JsonSchema, depth + 1)] : [];
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'null') return null;
  return 'sample';
}

/** Decides the simulated model's deterministic output for a request. */
export function simulateOutput(request: CanonicalRequest, model: SimulatedModelConfig): SimulatedOutput {
  const behavior = model.behavior ?? 'echo';
  const lastIsToolResult = request.messages.at(-1)?.role === 'tool';
  if (model.tool_calls && !lastIsToolResult) {
    return { pieces: [], toolCalls: model.tool_calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) })) };
  }
  if (behavior === 'tools' && request.tools && request.tools.length > 0 && request.toolChoice?.type !== 'none' && !lastIsToolResult) {
    const choice = request.toolChoice;
    const chosen = choice?.type === 'tool' ? request.tools.filter((t) => t.name === choice.name) : request.tools;
    const calls = request.parallelToolCalls === false ? chosen.slice(0, 1) : chosen;
    return { pieces: [], toolCalls: calls.map((t) => ({ name: t.name, arguments: JSON.stringify(sampleForSchema(t.parameters)) })) };
  }
  if (model.output !== undefined) return { pieces: splitIntoPieces(model.output), toolCalls: [] };
  if (behavior === 'json' || request.responseFormat?.type === 'json' || request.responseFormat?.type === 'json-schema') {
    const value = request.responseFormat?.type === 'json-schema' ? sampleForSchema(request.responseFormat.schema) : { echo: lastUserText(request.messages) };
    return { pieces: splitIntoPieces(JSON.stringify(value)), toolCalls: [] };
  }
  if (behavior === 'lorem') {
    const count = model.output_tokens ?? 48;
    const words = Array.from({ length: count }, (_, i) => (LOREM[i % LOREM.length] as string) + (i === count - 1 ? '.' : ' '));
    return { pieces: words, toolCalls: [] };
  }
  const text = lastUserText(request.messages);
  return { pieces: splitIntoPieces(text === '' ? '(empty message)' : text), toolCalls: [] };
}

/** A deterministic prompt-token estimate (about four characters a token) for simulated usage. */
export function estimatePromptTokens(request: CanonicalRequest): number {
  let chars = 0;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'text') chars += part.text.length;
      else if (part.type === 'tool-call') chars += part.arguments.length + part.name.length;
      else if (part.type === 'tool-result') chars += joinText(part.content).length;
      else if (part.type === 'reasoning') chars += part.text.length;
      else chars += 340;
    }
  }
  return Math.max(1, Math.ceil(chars / 4));
}
