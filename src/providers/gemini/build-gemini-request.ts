import type { CanonicalRequest, Warning } from '../../core/index.js';
import { buildGeminiGenerationConfig } from './build-gemini-generation-config.js';
import { convertToGeminiContents } from './convert-to-gemini-contents.js';
import { convertToGeminiTools } from './convert-to-gemini-tools.js';
import type { GeminiSchemaMode } from '../../core/index.js';
import type { GeminiRequestBody } from '../../wire/gemini/gemini-request-schema.js';
import { mergeGeminiProviderOptions } from './merge-gemini-provider-options.js';
import { requiresThoughtSignatures, signForeignToolCalls } from './sign-foreign-tool-calls.js';

/** Translates a canonical request into a Gemini generateContent body (the model goes in the URL, not here). */
export function buildGeminiRequest(
  request: CanonicalRequest,
  schemaMode: GeminiSchemaMode,
  model = '',
): { body: GeminiRequestBody; warnings: Warning[] } {
  const { contents, systemInstruction, warnings } = convertToGeminiContents(request.messages);
  if (requiresThoughtSignatures(model)) signForeignToolCalls(contents);
  const body: GeminiRequestBody = { contents };
  if (systemInstruction !== undefined) body.systemInstruction = systemInstruction;
  Object.assign(body, convertToGeminiTools(request, schemaMode, warnings));
  const generationConfig = buildGeminiGenerationConfig(request, schemaMode, warnings);
  if (generationConfig !== undefined) body.generationConfig = generationConfig;
  if (request.user !== undefined) {
    warnings.push({ code: 'parameter_dropped', param: 'user', message: 'user dropped for gemini: no end-user identifier field' });
  }
  if (request.metadata !== undefined) {
    warnings.push({ code: 'parameter_dropped', param: 'metadata', message: 'metadata dropped for gemini: no request metadata field' });
  }
  mergeGeminiProviderOptions(body, request, warnings);
  return { body, warnings };
}
