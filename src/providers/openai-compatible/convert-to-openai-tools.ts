import type { ToolChoice, ToolDefinition } from '../../core/index.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';
import type { OpenAIFamilyToolChoice, OpenAIFunctionTool } from '../../wire/openai-chat/openai-chat-request-schema.js';

interface ConvertedTools {
  tools: OpenAIFunctionTool[];
  toolChoice: OpenAIFamilyToolChoice | undefined;
}

function convertTool(tool: ToolDefinition): OpenAIFunctionTool {
  const fn: OpenAIFunctionTool['function'] = { name: tool.name, parameters: tool.parameters };
  if (tool.description !== undefined) fn.description = tool.description;
  if (tool.strict !== undefined) fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

/**
 * Converts tool declarations and the tool choice. Mistral accepts only auto/none/any, so `required` becomes `any`
 * and a named tool becomes `any` with the tool list narrowed to that one tool.
 */
export function convertToOpenAITools(
  tools: ToolDefinition[],
  choice: ToolChoice | undefined,
  quirks: OpenAIFamilyQuirks,
): ConvertedTools {
  const converted = tools.map(convertTool);
  if (choice === undefined) return { tools: converted, toolChoice: undefined };
  switch (choice.type) {
    case 'auto':
    case 'none':
      return { tools: converted, toolChoice: choice.type };
    case 'required':
      return { tools: converted, toolChoice: quirks.mistralTools ? 'any' : 'required' };
    case 'tool':
      if (quirks.mistralTools) {
        return { tools: converted.filter((tool) => tool.function.name === choice.name), toolChoice: 'any' };
      }
      return { tools: converted, toolChoice: { type: 'function', function: { name: choice.name } } };
  }
}
