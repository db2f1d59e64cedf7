import type { CanonicalRequest, GeminiSchemaMode, Warning } from '../../core/index.js';
import type { GeminiFunctionDeclaration, GeminiRequestBody, GeminiToolConfig } from '../../wire/gemini/gemini-request-schema.js';
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js';

export type GeminiToolFields = Pick<GeminiRequestBody, 'tools' | 'toolConfig'>;

function toToolConfig(choice: CanonicalRequest['toolChoice']): GeminiToolConfig | undefined {
  switch (choice?.type) {
    case undefined:
      return undefined;
    case 'auto':
      return { functionCallingConfig: { mode: 'AUTO' } };
    case 'none':
      return { functionCallingConfig: { mode: 'NONE' } };
    case 'required':
      return { functionCallingConfig: { mode: 'ANY' } };
    case 'tool':
      return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
  }
}

/** Converts tool definitions, tool choice and the parallel-calls flag into Gemini `tools` / `toolConfig`. */
export function convertToGeminiTools(request: CanonicalRequest, schemaMode: GeminiSchemaMode, warnings: Warning[]): GeminiToolFields {
  if (request.parallelToolCalls === false) {
    warnings.push({
      code: 'parameter_dropped',
      param: 'parallel_tool_calls',
      message: 'parallel_tool_calls dropped for gemini: Gemini cannot be told to avoid parallel function calls',
    });
  }
  const tools = request.tools ?? [];
  if (tools.length === 0) return {};
  if (tools.some((tool) => tool.strict === true)) {
    warnings.push({
      code: 'parameter_dropped',
      param: 'tools[].strict',
      message: 'strict dropped for gemini: function arguments are not guaranteed to match the schema',
    });
  }
  const functionDeclarations = tools.map((tool): GeminiFunctionDeclaration => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description !== undefined) declaration.description = tool.description;
    if (schemaMode === 'openapi') declaration.parameters = sanitizeSchemaForGemini(tool.parameters);
    else declaration.parametersJsonSchema = tool.parameters;
    return declaration;
  });
  const toolConfig = toToolConfig(request.toolChoice);
  return { tools: [{ functionDeclarations }], ...(toolConfig !== undefined && { toolConfig }) };
}
