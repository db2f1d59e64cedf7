import type { ToolChoice, ToolDefinition } from '../../core/index.js';
import type { GeminiTool, GeminiToolConfig } from '../../wire/gemini/gemini-request-schema.js';
import { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.js';

export interface ConvertedTools {
  tools: ToolDefinition[];
  /** Gemini-hosted tools (`googleSearch`, `codeExecution`, `urlContext`, …), kept verbatim. */
  serverTools: Array<Record<string, unknown>>;
}

/** Flattens `tools[].functionDeclarations` into canonical tools; other tool kinds are kept opaque. */
export function toCanonicalTools(tools: GeminiTool[]): ConvertedTools {
  const converted: ConvertedTools = { tools: [], serverTools: [] };
  for (const { functionDeclarations, ...others } of tools) {
    for (const declaration of functionDeclarations ?? []) {
      const parameters =
        declaration.parametersJsonSchema ??
        (declaration.parameters ? openApiSchemaToJsonSchema(declaration.parameters) : { type: 'object', properties: {} });
      const tool: ToolDefinition = { name: declaration.name, parameters };
      if (declaration.description !== undefined) tool.description = declaration.description;
      converted.tools.push(tool);
    }
    if (Object.keys(others).length > 0) converted.serverTools.push(others);
  }
  return converted;
}

/**
 * Maps `toolConfig.functionCallingConfig`. `ANY` with exactly one allowed name forces that tool; a longer allow-list
 * has no canonical form, so the original config is returned for `providerOptions.gemini.toolConfig` as well.
 */
export function toCanonicalToolChoice(config: GeminiToolConfig): { toolChoice?: ToolChoice; keepOriginal: boolean } {
  const calling = config.functionCallingConfig;
  const names = calling?.allowedFunctionNames ?? [];
  const keepOriginal = names.length > 1 || Object.keys(config).some((key) => key !== 'functionCallingConfig');
  switch (calling?.mode) {
    case 'AUTO':
    case 'VALIDATED':
      return { toolChoice: { type: 'auto' }, keepOriginal };
    case 'NONE':
      return { toolChoice: { type: 'none' }, keepOriginal };
    case 'ANY': {
      const only = names.length === 1 ? names[0] : undefined;
      return { toolChoice: only === undefined ? { type: 'required' } : { type: 'tool', name: only }, keepOriginal };
    }
    default:
      return { keepOriginal };
  }
}
