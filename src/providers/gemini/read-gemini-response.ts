import { isRecord } from '../../core/index.js';
import type { GeminiResponse } from '../../wire/gemini/gemini-response-schema.js';

// The schema's fields are `.optional()`: a field is either missing or of its type, and null is refused.
function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

function optionalNumber(value: unknown): boolean {
  return value === undefined || typeof value === 'number';
}

function isTextPart(value: unknown): boolean {
  if (!isRecord(value) || value.functionCall !== undefined) return false;
  return optionalString(value.text) && (value.thought === undefined || typeof value.thought === 'boolean') && optionalString(value.thoughtSignature);
}

function isCandidate(value: unknown): boolean {
  if (!isRecord(value) || !optionalString(value.finishReason) || !optionalString(value.finishMessage)) return false;
  const { content } = value;
  if (content === undefined) return true;
  if (!isRecord(content) || !optionalString(content.role)) return false;
  const { parts } = content;
  if (parts === undefined) return true;
  if (!Array.isArray(parts)) return false;
  for (const part of parts) if (!isTextPart(part)) return false;
  return true;
}

function isUsage(value: unknown): boolean {
  return (
    isRecord(value) &&
    optionalNumber(value.promptTokenCount) &&
    optionalNumber(value.cachedContentTokenCount) &&
    optionalNumber(value.candidatesTokenCount) &&
    optionalNumber(value.thoughtsTokenCount) &&
    optionalNumber(value.toolUsePromptTokenCount) &&
    optionalNumber(value.totalTokenCount)
  );
}

/**
 * The response as it is when it has the common shape `geminiResponseSchema` accepts (text and thought parts, finish,
 * usage, prompt feedback), else undefined and the schema decides; function calls are left to the schema. Inside a
 * gateway process zod's shared parsers are several times slower than in isolation, and a Gemini stream validated
 * every chunk with them. Fields it does not know are kept, as the loose schema keeps them.
 */
export function readGeminiResponse(value: unknown): GeminiResponse | undefined {
  if (!isRecord(value) || !optionalString(value.modelVersion) || !optionalString(value.responseId)) return undefined;
  if (value.usageMetadata !== undefined && !isUsage(value.usageMetadata)) return undefined;
  const feedback = value.promptFeedback;
  if (feedback !== undefined && !(isRecord(feedback) && optionalString(feedback.blockReason))) return undefined;
  const { candidates } = value;
  if (candidates !== undefined) {
    if (!Array.isArray(candidates)) return undefined;
    for (const candidate of candidates) if (!isCandidate(candidate)) return undefined;
  }
  return value as GeminiResponse;
}
