import { GatewayError, droppedParameter } from '../../core/index.js';
import type { CanonicalRequest, ReasoningOptions, Warning } from '../../core/index.js';
import { DEFAULT_MAX_OUTPUT_TOKENS } from '../../catalog/index.js';
import type { ModelInfo } from '../../core/index.js';
import type { AnthropicRequestBody } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';

/** Generation limits and sampling for the body. */
export interface PreparedGeneration {
  fields: Pick<AnthropicRequestBody, 'max_tokens' | 'thinking' | 'temperature' | 'top_p' | 'top_k' | 'stop_sequences'>;
  thinking: boolean;
  warnings: Warning[];
}

const TARGET = 'Anthropic';
const MIN_THINKING_BUDGET = 1024;
const EFFORT_BUDGETS: Readonly<Record<NonNullable<ReasoningOptions['effort']>, number>> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 16384,
};

function thinkingBudget(reasoning: ReasoningOptions | undefined, warnings: Warning[]): number | undefined {
  if (!reasoning || reasoning.enabled === false || reasoning.budgetTokens === 0) return undefined;
  if (reasoning.budgetTokens !== undefined) {
    if (reasoning.budgetTokens >= MIN_THINKING_BUDGET) return reasoning.budgetTokens;
    warnings.push({
      code: 'parameter_adjusted',
      param: 'reasoning.budget_tokens',
      message: `thinking budget ${reasoning.budgetTokens} raised to Anthropic's minimum of ${MIN_THINKING_BUDGET}`,
    });
    return MIN_THINKING_BUDGET;
  }
  if (reasoning.effort !== undefined) return EFFORT_BUDGETS[reasoning.effort];
  return reasoning.enabled === true ? EFFORT_BUDGETS.medium : undefined;
}

function maxTokensFor(request: CanonicalRequest, model: string, info: ModelInfo | undefined, warnings: Warning[]): number {
  if (request.maxOutputTokens !== undefined) return request.maxOutputTokens;
  const value = info?.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const source = info ? `the output limit of ${model}` : 'the default for models the gateway does not know';
  warnings.push({
    code: 'parameter_defaulted',
    param: 'max_tokens',
    message: `Anthropic requires max_tokens; sent ${value}, ${source}`,
  });
  return value;
}

function applySampling(
  request: CanonicalRequest,
  version: AnthropicApiVersion,
  thinking: boolean,
  prepared: PreparedGeneration,
): void {
  const sampling = [
    ['temperature', request.temperature],
    ['top_p', request.topP],
    ['top_k', request.topK],
  ] as const;
  for (const [param, value] of sampling) {
    if (value === undefined) continue;
    if (version === '2026-10-21') {
      prepared.warnings.push(droppedParameter(param, TARGET, 'anthropic-version 2026-10-21 has no sampling parameters'));
      continue;
    }
    if (param === 'temperature' && (value < 0 || value > 1)) {
      throw new GatewayError('unsupported_parameter', `temperature ${value} is out of range: Anthropic accepts 0–1`, {
        param: 'temperature',
      });
    }
    if (thinking) {
      prepared.warnings.push(droppedParameter(param, TARGET, 'it cannot be combined with extended thinking'));
      continue;
    }
    prepared.fields[param] = value;
  }
}

/**
 * Resolves `max_tokens` (always sent: the request's, else the catalogue's limit or the default, with a warning),
 * extended thinking (budget from tokens or effort, at least 1024, below `max_tokens`), sampling parameters per API
 * version, and stop sequences; parameters Anthropic lacks (seed, penalties) become warnings.
 */
export function prepareAnthropicGeneration(
  request: CanonicalRequest,
  model: string,
  info: ModelInfo | undefined,
  version: AnthropicApiVersion,
): PreparedGeneration {
  const warnings: Warning[] = [];
  let budget = thinkingBudget(request.reasoning, warnings);
  if (budget !== undefined && info?.capabilities.reasoning === false) {
    warnings.push(droppedParameter('reasoning', TARGET, `${model} has no extended thinking`));
    budget = undefined;
  }
  let maxTokens = maxTokensFor(request, model, info, warnings);
  if (budget !== undefined && maxTokens <= budget) {
    const raised = budget + maxTokens;
    warnings.push({
      code: 'parameter_adjusted',
      param: 'max_tokens',
      message: `max_tokens raised from ${maxTokens} to ${raised}: Anthropic counts the thinking budget (${budget}) in it`,
    });
    maxTokens = raised;
  }

  const prepared: PreparedGeneration = { fields: { max_tokens: maxTokens }, thinking: budget !== undefined, warnings };
  if (budget !== undefined) prepared.fields.thinking = { type: 'enabled', budget_tokens: budget };
  applySampling(request, version, prepared.thinking, prepared);
  if (request.stop && request.stop.length > 0) prepared.fields.stop_sequences = request.stop;
  if (request.seed !== undefined) warnings.push(droppedParameter('seed', TARGET, 'it has no seed parameter'));
  if (request.frequencyPenalty !== undefined) {
    warnings.push(droppedParameter('frequency_penalty', TARGET, 'it has no frequency penalty'));
  }
  if (request.presencePenalty !== undefined) {
    warnings.push(droppedParameter('presence_penalty', TARGET, 'it has no presence penalty'));
  }
  return prepared;
}
