import { GatewayError, type CanonicalRequest, type ReasoningOptions } from '../../core/index.js';
import type { GeminiGenerationConfig } from '../../wire/gemini/gemini-request-schema.js';
import { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.js';

type GenerationFields = Pick<
  CanonicalRequest,
  | 'temperature'
  | 'topP'
  | 'topK'
  | 'maxOutputTokens'
  | 'stop'
  | 'seed'
  | 'presencePenalty'
  | 'frequencyPenalty'
  | 'responseFormat'
  | 'reasoning'
>;

const MAPPED_FIELDS: ReadonlySet<string> = new Set([
  'temperature',
  'topP',
  'topK',
  'maxOutputTokens',
  'stopSequences',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'candidateCount',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
]);

const EFFORTS: Readonly<Record<string, ReasoningOptions['effort']>> = {
  MINIMAL: 'minimal',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
};

function toReasoning(thinking: NonNullable<GeminiGenerationConfig['thinkingConfig']>): ReasoningOptions | undefined {
  const reasoning: ReasoningOptions = {};
  const budget = thinking.thinkingBudget;
  // 0 turns thinking off; -1 asks for a dynamic budget.
  if (budget === 0) reasoning.enabled = false;
  else if (budget !== undefined) {
    reasoning.enabled = true;
    if (budget > 0) reasoning.budgetTokens = budget;
  }
  const effort = thinking.thinkingLevel === undefined ? undefined : EFFORTS[thinking.thinkingLevel];
  if (effort) reasoning.effort = effort;
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

function isJson(mimeType: string | undefined): boolean {
  return mimeType === 'application/json';
}

/**
 * Maps `generationConfig` onto canonical fields. Returns what has no canonical form (`responseModalities`,
 * `thinkingConfig.includeThoughts`, non-JSON schemas, …) as `unmapped`, for `providerOptions.gemini.generationConfig`.
 */
export function fromGenerationConfig(config: GeminiGenerationConfig): {
  fields: GenerationFields;
  unmapped: Record<string, unknown>;
} {
  if (config.candidateCount !== undefined && config.candidateCount > 1) {
    throw new GatewayError('unsupported_parameter', 'generationConfig.candidateCount: only one candidate is supported', {
      param: 'generationConfig.candidateCount',
    });
  }
  const fields: GenerationFields = {};
  const unmapped: Record<string, unknown> = Object.fromEntries(
    Object.entries(config).filter(([key]) => !MAPPED_FIELDS.has(key)),
  );
  if (config.temperature !== undefined) fields.temperature = config.temperature;
  if (config.topP !== undefined) fields.topP = config.topP;
  if (config.topK !== undefined) fields.topK = config.topK;
  if (config.maxOutputTokens !== undefined) fields.maxOutputTokens = config.maxOutputTokens;
  if (config.stopSequences !== undefined) fields.stop = config.stopSequences;
  if (config.seed !== undefined) fields.seed = config.seed;
  if (config.presencePenalty !== undefined) fields.presencePenalty = config.presencePenalty;
  if (config.frequencyPenalty !== undefined) fields.frequencyPenalty = config.frequencyPenalty;

  const { responseMimeType: mimeType, responseJsonSchema, responseSchema } = config;
  if (isJson(mimeType)) {
    const schema = responseJsonSchema ?? (responseSchema ? openApiSchemaToJsonSchema(responseSchema) : undefined);
    fields.responseFormat = schema ? { type: 'json-schema', name: 'output', schema } : { type: 'json' };
  } else {
    if (mimeType === 'text/plain') fields.responseFormat = { type: 'text' };
    else if (mimeType !== undefined) unmapped.responseMimeType = mimeType;
    if (responseSchema !== undefined) unmapped.responseSchema = responseSchema;
    if (responseJsonSchema !== undefined) unmapped.responseJsonSchema = responseJsonSchema;
  }

  if (config.thinkingConfig) {
    const reasoning = toReasoning(config.thinkingConfig);
    if (reasoning) fields.reasoning = reasoning;
    const { thinkingBudget: _budget, thinkingLevel: _level, ...rest } = config.thinkingConfig;
    if (Object.keys(rest).length > 0) unmapped.thinkingConfig = rest;
  }
  return { fields, unmapped };
}
