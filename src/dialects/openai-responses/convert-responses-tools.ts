import { GatewayError, droppedParameter, type ResponseFormat, type ToolChoice, type ToolDefinition, type Warning } from '../../core/index.js';
import type { OpenAIResponsesRequest, ResponsesFunctionTool } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { namespacedToolName } from './namespaced-tool-name.js';

const EMPTY_PARAMETERS = { type: 'object', properties: {} };

type RequestTools = NonNullable<OpenAIResponsesRequest['tools']>;

function isFunctionTool(tool: { type: string }): tool is ResponsesFunctionTool {
  return tool.type === 'function' && 'name' in tool;
}

function toDefinition(tool: ResponsesFunctionTool, namespace: string | undefined): ToolDefinition {
  const definition: ToolDefinition = {
    name: namespacedToolName(namespace, tool.name),
    parameters: tool.parameters ?? { ...EMPTY_PARAMETERS },
  };
  if (tool.description != null) definition.description = tool.description;
  if (tool.strict != null) definition.strict = tool.strict;
  if (namespace !== undefined) definition.namespace = namespace;
  return definition;
}

/**
 * Converts Responses tools: function tools as they are, a namespace's function tools flattened to
 * `<namespace>__<name>`; hosted tools (`web_search`, `file_search`, …) and custom tools have no equivalent in the
 * canonical request, so they are dropped with a warning rather than failing a request an agent sends on every turn.
 */
export function convertResponsesTools(tools: RequestTools, warnings: Warning[]): ToolDefinition[] {
  const out: ToolDefinition[] = [];
  tools.forEach((tool, i) => {
    if (isFunctionTool(tool)) {
      out.push(toDefinition(tool, undefined));
    } else if (tool.type === 'namespace' && 'tools' in tool && Array.isArray(tool.tools)) {
      const namespace = String(tool.name);
      (tool.tools as Array<{ type: string }>).forEach((inner, j) => {
        if (isFunctionTool(inner)) out.push(toDefinition(inner, namespace));
        else warnings.push(droppedParameter(`tools[${i}].tools[${j}]`, 'every provider', `${inner.type} tools are not supported`));
      });
    } else {
      warnings.push(droppedParameter(`tools[${i}]`, 'every provider', `hosted ${tool.type} tools are not supported`));
    }
  });
  return out;
}

/** Converts `tool_choice`; a named function must be declared, a hosted tool choice falls back to `auto` with a warning. */
export function convertResponsesToolChoice(
  choice: NonNullable<OpenAIResponsesRequest['tool_choice']>,
  tools: ReadonlyArray<ToolDefinition>,
  warnings: Warning[],
): ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  if (choice.type === 'function' && 'name' in choice && typeof choice.name === 'string') {
    const { name } = choice;
    if (!tools.some((tool) => tool.name === name)) {
      throw new GatewayError('invalid_request', `Invalid value at tool_choice.name: no function tool named "${name}" in tools`, {
        param: 'tool_choice.name',
      });
    }
    return { type: 'tool', name };
  }
  warnings.push({ code: 'parameter_translated', param: 'tool_choice', message: `tool_choice of type ${choice.type} sent as "auto"` });
  return { type: 'auto' };
}

/** Converts `text.format` into the canonical text / json / json-schema union. */
export function convertResponsesTextFormat(format: NonNullable<NonNullable<OpenAIResponsesRequest['text']>['format']>): ResponseFormat {
  if (format.type === 'json_object') return { type: 'json' };
  if (format.type === 'json_schema' && 'schema' in format) {
    const result: ResponseFormat = { type: 'json-schema', name: format.name, schema: format.schema };
    if (format.description != null) result.description = format.description;
    if (format.strict != null) result.strict = format.strict;
    return result;
  }
  return { type: 'text' };
}
