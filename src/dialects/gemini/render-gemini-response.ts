import { parseToolArguments, type AssistantPart, type CanonicalResponse, type ProviderMetadata } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { toGeminiFinishReason } from '../../wire/gemini/gemini-finish-reason.js';
import type { GeminiResponse, GeminiResponsePart } from '../../wire/gemini/gemini-response-schema.js';
import { toGeminiUsageMetadata } from '../../wire/gemini/gemini-usage.js';

/** The `thoughtSignature` a Gemini upstream attached to a part, when there is one. */
export function thoughtSignatureOf(metadata: ProviderMetadata | undefined): string | undefined {
  const signature = metadata?.gemini?.thoughtSignature;
  return typeof signature === 'string' ? signature : undefined;
}

/** Builds a functionCall part; arguments that are not a JSON object cannot be expressed and become `{}`. */
export function functionCallPart(
  callId: string,
  name: string,
  args: string,
  metadata?: ProviderMetadata,
): GeminiResponsePart {
  const part: GeminiResponsePart = { functionCall: { name, args: parseToolArguments(args) ?? {}, id: callId } };
  const signature = thoughtSignatureOf(metadata);
  if (signature !== undefined) part.thoughtSignature = signature;
  return part;
}

/** Converts a canonical assistant part; reasoning that only another provider can replay (redacted) is omitted. */
function toGeminiPart(part: AssistantPart): GeminiResponsePart | undefined {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'reasoning': {
      if (part.redactedData !== undefined) return undefined;
      const converted: GeminiResponsePart = { text: part.text, thought: true };
      const signature = thoughtSignatureOf(part.providerMetadata);
      if (signature !== undefined) converted.thoughtSignature = signature;
      return converted;
    }
    case 'tool-call':
      return functionCallPart(part.callId, part.name, part.arguments, part.providerMetadata);
  }
}

/** Renders a folded response as a Gemini `GenerateContentResponse`. */
export function renderGeminiResponse(response: CanonicalResponse, context: RenderContext): GeminiResponse {
  const parts = response.content.map(toGeminiPart).filter((part): part is GeminiResponsePart => part !== undefined);
  return {
    candidates: [{ content: { parts, role: 'model' }, finishReason: toGeminiFinishReason(response.finishReason), index: 0 }],
    usageMetadata: toGeminiUsageMetadata(response.usage),
    modelVersion: context.model,
    responseId: context.requestId,
  };
}
