import { GatewayError, type ResponseFormat, type ToolChoice, type ToolDefinition } from '../../core/index.js';
import type { OpenAIResponseFormat, OpenAITool, OpenAIToolChoice } from '../../wire/openai-chat/openai-chat-request-schema.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

/** Converts OpenAI function tools; `custom` (free-form grammar) tools have no equivalent elsewhere and are rejected. */
export function convertOpenAITools(tools: ReadonlyArray<OpenAITool>): ToolDefinition[] {
  return tools.map((tool, i): ToolDefinition => {
    if (tool.type !== 'function') {
      throw new GatewayError('unsupported_parameter', `Unsupported tool at tools[${i}]: custom tools are not supported`, {
        param: `tools[${i}]`,
      });
    }
    const fn = tool.function;
    const definition: ToolDefinition = { name: fn.name, parameters: fn.parameters ?? { ...EMPTY_PARAMETERS } };
    if (fn.description != null) definition.description = fn.description;
    if (fn.strict != null) definition.strict = fn.strict;
    return definition;
  });
}

/** Converts `tool_choice`; a named tool must be one of the declared `tools`. */
export function convertOpenAIToolChoice(choice: OpenAIToolChoice, tools: ReadonlyArray<ToolDefinition>): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  if (choice.type !== 'function') {
    throw new GatewayError(
      'unsupported_parameter',
      `Unsupported value at tool_choice.type: "${choice.type}" is not supported`,
      { param: 'tool_choice.type' },
    );
  }
  const { name } = choice.function;
  if (!tools.some((tool) => tool.name === name)) {
    throw new GatewayError(
      'invalid_request',
      `Invalid value at tool_choice.function.name: no tool named "${name}" in tools`,
      { param: 'tool_choice.function.name' },
    );
  }
  return { type: 'tool', name };
}

/** Converts `response_format` into the canonical text / json / json-schema union. */
export function convertOpenAIResponseFormat(format: OpenAIResponseFormat): ResponseFormat {
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json' };
    case 'json_schema': {
      const spec = format.json_schema;
      const result: ResponseFormat = { type: 'json-schema', name: spec.name, schema: spec.schema ?? {} };
      if (spec.description != null) result.description = spec.description;
      if (spec.strict != null) result.strict = spec.strict;
      return result;
    }
  }
}
