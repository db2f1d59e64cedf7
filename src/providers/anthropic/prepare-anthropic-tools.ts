import { droppedParameter } from '../../core/index.js';
import type { CanonicalRequest, ToolChoice, ToolDefinition, Warning } from '../../core/index.js';
import type { ModelInfo } from '../../core/index.js';
import type { AnthropicRequestBody, AnthropicCustomTool, AnthropicToolChoice } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';

/** Tools, tool choice and output format for the body, plus system text the translation needs. */
export interface PreparedTools {
  fields: Pick<AnthropicRequestBody, 'tools' | 'tool_choice' | 'output_config'>;
  /** Instructions appended to the system prompt (JSON mode has no Anthropic parameter). */
  systemInstructions: string[];
  warnings: Warning[];
}

const JSON_MODE_INSTRUCTION = 'Respond only with a single valid JSON object, with no text before or after it.';

function toAnthropicTool(tool: ToolDefinition, index: number, strictSupported: boolean, warnings: Warning[]): AnthropicCustomTool {
  const out: AnthropicCustomTool = { name: tool.name, input_schema: tool.parameters };
  if (tool.description !== undefined) out.description = tool.description;
  if (tool.strict === true) {
    if (strictSupported) out.strict = true;
    else warnings.push(droppedParameter(`tools[${index}].strict`, 'this Anthropic model', 'it has no strict tool schemas'));
  }
  if (tool.cacheControl) out.cache_control = { ...tool.cacheControl };
  return out;
}

function toAnthropicToolChoice(choice: ToolChoice): AnthropicToolChoice {
  switch (choice.type) {
    case 'auto':
      return { type: 'auto' };
    case 'none':
      return { type: 'none' };
    case 'required':
      return { type: 'any' };
    case 'tool':
      return { type: 'tool', name: choice.name };
  }
}

/**
 * Picks the tool choice that makes the model answer through the JSON-output tool: forced outright when it is the only
 * callable tool, `any` when the client's own tools may still be called, and `auto` plus an instruction under extended
 * thinking, which rejects forced tool use.
 */
function jsonOutputToolChoice(
  clientChoice: AnthropicToolChoice | undefined,
  hasClientTools: boolean,
  thinking: boolean,
  prepared: PreparedTools,
): AnthropicToolChoice | undefined {
  if (clientChoice?.type === 'tool') return clientChoice;
  if (thinking) {
    prepared.systemInstructions.push(`Give your final answer by calling the ${JSON_OUTPUT_TOOL_NAME} tool.`);
    return { type: 'auto' };
  }
  if (hasClientTools && clientChoice?.type !== 'none') return { type: 'any' };
  return { type: 'tool', name: JSON_OUTPUT_TOOL_NAME };
}

/**
 * Translates tools, tool choice, parallel-call control and response format. JSON-Schema output uses native
 * `output_config` when the catalogue says the model has it, else a reserved forced tool whose input the response side
 * returns as message text; plain JSON mode becomes a system instruction.
 */
export function prepareAnthropicTools(request: CanonicalRequest, info: ModelInfo | undefined, thinking: boolean): PreparedTools {
  const prepared: PreparedTools = { fields: {}, systemInstructions: [], warnings: [] };
  const native = info?.capabilities.nativeStructuredOutput === true;
  const tools = (request.tools ?? []).map((tool, i) => toAnthropicTool(tool, i, native, prepared.warnings));
  const hasClientTools = tools.length > 0;
  let choice = hasClientTools && request.toolChoice ? toAnthropicToolChoice(request.toolChoice) : undefined;

  const format = request.responseFormat;
  if (format?.type === 'json') {
    prepared.systemInstructions.push(JSON_MODE_INSTRUCTION);
    prepared.warnings.push({
      code: 'parameter_translated',
      param: 'response_format',
      message: 'Anthropic has no JSON mode; sent as a system instruction to answer in JSON',
    });
  } else if (format?.type === 'json-schema' && native) {
    prepared.fields.output_config = { format: { type: 'json_schema', schema: format.schema } };
  } else if (format?.type === 'json-schema') {
    const about = format.description === undefined ? '' : ` (${format.description})`;
    tools.push({
      name: JSON_OUTPUT_TOOL_NAME,
      description: `Return the final answer as a "${format.name}" object${about}. The input is the answer itself.`,
      input_schema: format.schema,
    });
    choice = jsonOutputToolChoice(choice, hasClientTools, thinking, prepared);
    prepared.warnings.push({
      code: 'parameter_translated',
      param: 'response_format',
      message: `json_schema "${format.name}" sent to Anthropic as a tool call; its input is returned as the message text`,
    });
  }

  if (request.parallelToolCalls === false && tools.length > 0) {
    choice ??= { type: 'auto' };
    if (choice.type !== 'none') choice = { ...choice, disable_parallel_tool_use: true };
  }
  if (tools.length > 0) prepared.fields.tools = tools;
  if (choice) prepared.fields.tool_choice = choice;
  return prepared;
}
