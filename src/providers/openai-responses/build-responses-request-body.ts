import { droppedParameter, type AssistantPart, type CanonicalRequest, type ImagePart, type Message, type TextPart, type Warning } from '../../core/index.js';

type Item = Record<string, unknown>;

function imageUrl(image: ImagePart): string {
  return image.source.kind === 'url' ? image.source.url : `data:${image.source.mediaType};base64,${image.source.data}`;
}

function inputParts(parts: ReadonlyArray<TextPart | ImagePart>): Item[] {
  return parts.map((part) =>
    part.type === 'text' ? { type: 'input_text', text: part.text } : { type: 'input_image', image_url: imageUrl(part), detail: part.detail ?? 'auto' },
  );
}

function assistantItems(parts: ReadonlyArray<AssistantPart>, path: string, warnings: Warning[]): Item[] {
  const items: Item[] = [];
  for (const part of parts) {
    if (part.type === 'text') {
      if (part.text !== '') items.push({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: part.text }] });
    } else if (part.type === 'tool-call') {
      items.push({ type: 'function_call', call_id: part.callId, name: part.name, arguments: part.arguments === '' ? '{}' : part.arguments });
    } else {
      // OpenAI accepts replayed reasoning only with the encrypted content it issued, which the gateway never keeps.
      warnings.push(droppedParameter(`${path}.reasoning`, 'the Responses API upstream', 'earlier reasoning cannot be replayed without its encrypted content'));
    }
  }
  return items;
}

function toItems(message: Message, index: number, warnings: Warning[]): Item[] {
  switch (message.role) {
    case 'system':
      return [{ type: 'message', role: message.developer === true ? 'developer' : 'system', content: message.content.map((part) => part.text).join('\n') }];
    case 'user':
      return [{ type: 'message', role: 'user', content: inputParts(message.content) }];
    case 'assistant':
      return assistantItems(message.content, `messages[${index}]`, warnings);
    case 'tool':
      return message.content.map((result) => ({
        type: 'function_call_output',
        call_id: result.callId,
        output: result.content.every((part) => part.type === 'text') ? result.content.map((part) => (part as TextPart).text).join('\n') : inputParts(result.content),
      }));
  }
}

function toolChoice(request: CanonicalRequest): unknown {
  const choice = request.toolChoice;
  if (choice === undefined) return undefined;
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type;
}

function textFormat(request: CanonicalRequest): unknown {
  const format = request.responseFormat;
  if (format === undefined || format.type === 'text') return undefined;
  if (format.type === 'json') return { format: { type: 'json_object' } };
  return { format: { type: 'json_schema', name: format.name, schema: format.schema, ...(format.strict === undefined ? {} : { strict: format.strict }), ...(format.description === undefined ? {} : { description: format.description }) } };
}

function set(body: Item, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

/**
 * The body of `POST /v1/responses` upstream (an `openai` provider with `api: responses`): every turn as an input item,
 * function tools, text format, reasoning effort and limits. `store: false`, since the gateway keeps its own state.
 * Sampling settings the Responses API has no field for are dropped with a warning.
 */
export function buildResponsesRequestBody(request: CanonicalRequest, model: string): { body: Item; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const input = request.messages.flatMap((message, index) => toItems(message, index, warnings));
  const body: Item = { model, input, stream: request.stream, store: false };
  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.parameters,
      strict: tool.strict ?? false,
    }));
    set(body, 'tool_choice', toolChoice(request));
    set(body, 'parallel_tool_calls', request.parallelToolCalls);
  }
  set(body, 'text', textFormat(request));
  set(body, 'max_output_tokens', request.maxOutputTokens);
  set(body, 'temperature', request.temperature);
  set(body, 'top_p', request.topP);
  set(body, 'metadata', request.metadata);
  set(body, 'safety_identifier', request.user);
  set(body, 'prompt_cache_key', request.cacheKey);
  const reasoning = request.reasoning;
  if (reasoning?.enabled === false) body.reasoning = { effort: 'none' };
  else if (reasoning?.effort !== undefined) body.reasoning = { effort: reasoning.effort, summary: 'auto' };
  for (const [field, value] of Object.entries({ stop: request.stop, seed: request.seed, frequency_penalty: request.frequencyPenalty, presence_penalty: request.presencePenalty, top_k: request.topK })) {
    if (value !== undefined) warnings.push(droppedParameter(field, 'the Responses API upstream', 'the Responses API has no such field'));
  }
  return { body, warnings };
}
