import type { ToolChoice, ToolDefinition } from '../../core/index.js';
import type { AnthropicCustomTool, AnthropicToolChoice, AnthropicToolParam } from '../../wire/anthropic-messages/anthropic-request-schema.js';

export interface ConvertedTools {
  tools: ToolDefinition[];
  /** Anthropic-hosted tools, kept verbatim for `providerOptions.anthropic.server_tools`. */
  serverTools: AnthropicToolParam[];
}

function isCustomTool(tool: AnthropicToolParam): tool is AnthropicCustomTool {
  return tool.type === undefined || tool.type === null || tool.type === 'custom';
}

function toToolDefinition(tool: AnthropicCustomTool): ToolDefinition {
  const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
  if (tool.description !== undefined) definition.description = tool.description;
  if (tool.strict !== undefined) definition.strict = tool.strict;
  if (tool.cache_control) {
    const { ttl } = tool.cache_control;
    definition.cacheControl = ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
  }
  return definition;
}

/** Splits `tools` into canonical custom tools and opaque server tools. */
export function toCanonicalTools(tools: AnthropicToolParam[]): ConvertedTools {
  const converted: ConvertedTools = { tools: [], serverTools: [] };
  for (const tool of tools) {
    if (isCustomTool(tool)) converted.tools.push(toToolDefinition(tool));
    else converted.serverTools.push(tool);
  }
  return converted;
}

/** Maps `tool_choice` to the canonical choice and the parallel-calls flag. */
export function toCanonicalToolChoice(choice: AnthropicToolChoice): {
  toolChoice: ToolChoice;
  parallelToolCalls?: boolean;
} {
  if (choice.type === 'none') return { toolChoice: { type: 'none' } };
  const toolChoice: ToolChoice =
    choice.type === 'auto'
      ? { type: 'auto' }
      : choice.type === 'any'
        ? { type: 'required' }
        : { type: 'tool', name: choice.name };
  return choice.disable_parallel_tool_use === undefined
    ? { toolChoice }
    : { toolChoice, parallelToolCalls: !choice.disable_parallel_tool_use };
}
