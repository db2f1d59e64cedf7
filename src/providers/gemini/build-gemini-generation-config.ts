import type { CanonicalRequest, ReasoningOptions, Warning } from '../../core/index.js';
import type { GeminiGenerationConfig, GeminiThinkingConfig } from '../../wire/gemini/gemini-request-schema.js';
import type { GeminiSchemaMode } from '../../core/index.js';
import { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js';

/**
 * Thinking budgets per effort. `minimal` gets 512, the largest minimum budget among Gemini 2.5 models
 * (Flash-Lite), so it is valid everywhere thinking can be set.
 */
const EFFORT_BUDGET: Readonly<Record<NonNullable<ReasoningOptions['effort']>, number>> = {
  minimal: 512,
  low: 1024,
  medium: 8192,
  high: 24576,
};

function toThinkingConfig(reasoning: ReasoningOptions | undefined): GeminiThinkingConfig | undefined {
  if (reasoning === undefined) return undefined;
  if (reasoning.enabled === false) return { thinkingBudget: 0 };
  const budget = reasoning.budgetTokens ?? (reasoning.effort === undefined ? undefined : EFFORT_BUDGET[reasoning.effort]);
  if (budget === undefined && reasoning.enabled !== true) return undefined;
  return { ...(budget !== undefined && { thinkingBudget: budget }), includeThoughts: true };
}

/** Builds `generationConfig` (sampling, limits, JSON output, thinking); undefined when nothing was set. */
export function buildGeminiGenerationConfig(
  request: CanonicalRequest,
  schemaMode: GeminiSchemaMode,
  warnings: Warning[],
): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.topK !== undefined) config.topK = request.topK;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = request.stop;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty;
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty;

  const format = request.responseFormat;
  if (format?.type === 'json' || format?.type === 'json-schema') config.responseMimeType = 'application/json';
  if (format?.type === 'json-schema') {
    if (schemaMode === 'openapi') config.responseSchema = sanitizeSchemaForGemini(format.schema);
    else config.responseJsonSchema = format.schema;
    if (format.strict === true) {
      warnings.push({
        code: 'parameter_translated',
        param: 'response_format.json_schema.strict',
        message: 'response_format strict sent to gemini as a response schema; Gemini supports a subset of JSON Schema',
      });
    }
  }

  const thinkingConfig = toThinkingConfig(request.reasoning);
  if (thinkingConfig !== undefined) config.thinkingConfig = thinkingConfig;
  return Object.keys(config).length > 0 ? config : undefined;
}
