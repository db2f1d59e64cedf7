import type { CanonicalRequest, ResponseFormat, Warning } from '../../core/index.js';
import { droppedParameter } from '../../core/index.js';
import { convertReasoningOptions } from './convert-reasoning-options.js';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';
import { convertToOpenAITools } from './convert-to-openai-tools.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';

interface BuiltBody {
  body: Record<string, unknown>;
  warnings: Warning[];
}

function convertResponseFormat(format: ResponseFormat): Record<string, unknown> | undefined {
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json':
      return { type: 'json_object' };
    case 'json-schema': {
      const schema: Record<string, unknown> = { name: format.name, schema: format.schema };
      if (format.description !== undefined) schema.description = format.description;
      if (format.strict !== undefined) schema.strict = format.strict;
      return { type: 'json_schema', json_schema: schema };
    }
  }
}

/** Usage is always requested: the gateway logs it even when the client did not ask to see it. */
export function withUsageRequested(streamOptions: unknown): Record<string, unknown> {
  const base = typeof streamOptions === 'object' && streamOptions !== null && !Array.isArray(streamOptions) ? streamOptions : {};
  return { ...base, include_usage: true };
}

function setIfDefined(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function addSamplingFields(request: CanonicalRequest, quirks: OpenAIFamilyQuirks, body: Record<string, unknown>, warnings: Warning[]): void {
  setIfDefined(body, quirks.maxTokensField, request.maxOutputTokens);
  setIfDefined(body, 'temperature', request.temperature);
  setIfDefined(body, 'top_p', request.topP);
  setIfDefined(body, 'frequency_penalty', request.frequencyPenalty);
  setIfDefined(body, 'presence_penalty', request.presencePenalty);
  setIfDefined(body, quirks.seedField, request.seed);
  if (request.stop !== undefined && request.stop.length > 0) body.stop = request.stop;
  if (request.topK !== undefined) {
    if (quirks.supportsTopK) body.top_k = request.topK;
    else warnings.push(droppedParameter('topK', quirks.type, 'top-k sampling is not supported'));
  }
  if (request.user !== undefined) {
    if (quirks.supportsUser) body.user = request.user;
    else warnings.push(droppedParameter('user', quirks.type, 'no end-user field'));
  }
  if (request.metadata !== undefined) {
    if (quirks.supportsMetadata) body.metadata = request.metadata;
    else warnings.push(droppedParameter('metadata', quirks.type, 'no metadata field'));
  }
}

/** Fields the adapter owns: vendor options may not replace the target model, the prompt or the stream mode. */
const RESERVED_FIELDS = new Set(['model', 'messages', 'stream']);

function addProviderOptions(request: CanonicalRequest, quirks: OpenAIFamilyQuirks, body: Record<string, unknown>, warnings: Warning[]): void {
  for (const [format, options] of Object.entries(request.providerOptions ?? {})) {
    if (format === 'openai') {
      for (const [key, value] of Object.entries(options)) {
        if (RESERVED_FIELDS.has(key)) {
          warnings.push(droppedParameter(`providerOptions.openai.${key}`, quirks.type, 'set by the gateway'));
        } else body[key] = value;
      }
    } else if (Object.keys(options).length > 0) {
      warnings.push(droppedParameter(`providerOptions.${format}`, quirks.type, `${format} options do not apply`));
    }
  }
}

/** Builds the Chat Completions body for one vendor from the canonical request; throws on impossible settings. */
export function buildOpenAIChatBody(request: CanonicalRequest, model: string, quirks: OpenAIFamilyQuirks): BuiltBody {
  const { messages, warnings } = convertToOpenAIMessages(request.messages, quirks);
  const body: Record<string, unknown> = { model, messages };
  // tool_choice and parallel_tool_calls are rejected by OpenAI when no tools are declared, and mean nothing then.
  if (request.tools !== undefined && request.tools.length > 0) {
    const { tools, toolChoice } = convertToOpenAITools(request.tools, request.toolChoice, quirks);
    body.tools = tools;
    setIfDefined(body, 'tool_choice', toolChoice);
    setIfDefined(body, 'parallel_tool_calls', request.parallelToolCalls);
  }
  if (request.responseFormat?.type === 'json-schema' && !quirks.supportsJsonSchema) {
    body.response_format = { type: 'json_object' };
    warnings.push({
      code: 'parameter_translated',
      param: 'responseFormat',
      message: `responseFormat json-schema sent as json_object for ${quirks.type}: the schema is not enforced`,
    });
  } else if (request.responseFormat !== undefined) {
    setIfDefined(body, 'response_format', convertResponseFormat(request.responseFormat));
  }
  addSamplingFields(request, quirks, body, warnings);
  const reasoning = convertReasoningOptions(request, quirks);
  Object.assign(body, reasoning.fields);
  warnings.push(...reasoning.warnings);
  addProviderOptions(request, quirks, body, warnings);
  body.stream = request.stream;
  if (request.stream && quirks.sendsStreamOptions) body.stream_options = withUsageRequested(body.stream_options);
  return { body, warnings };
}
