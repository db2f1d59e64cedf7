import type { CanonicalRequest, Warning } from '../../core/index.js';
import { GatewayError, droppedParameter } from '../../core/index.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';

interface ConvertedReasoning {
  fields: Record<string, unknown>;
  warnings: Warning[];
}

function wantsReasoning(request: CanonicalRequest): boolean {
  const reasoning = request.reasoning;
  if (reasoning === undefined || reasoning.enabled === false) return false;
  return reasoning.enabled === true || reasoning.effort !== undefined || reasoning.budgetTokens !== undefined;
}

function convertQwenThinking(request: CanonicalRequest): ConvertedReasoning {
  if (!request.stream) {
    // DashScope rejects enable_thinking=true without streaming, and some Qwen models think by default.
    if (wantsReasoning(request)) {
      throw new GatewayError('unsupported_parameter', 'reasoning is only available on streaming requests for qwen', {
        param: 'reasoning',
      });
    }
    return { fields: { enable_thinking: false }, warnings: [] };
  }
  if (request.reasoning?.enabled === false) return { fields: { enable_thinking: false }, warnings: [] };
  if (!wantsReasoning(request)) return { fields: {}, warnings: [] };
  const fields: Record<string, unknown> = { enable_thinking: true };
  if (request.reasoning?.budgetTokens !== undefined) fields.thinking_budget = request.reasoning.budgetTokens;
  return { fields, warnings: [] };
}

function convertReasoningEffort(request: CanonicalRequest, quirks: OpenAIFamilyQuirks): ConvertedReasoning {
  const reasoning = request.reasoning;
  const fields: Record<string, unknown> = {};
  const warnings: Warning[] = [];
  if (reasoning?.effort !== undefined) fields.reasoning_effort = reasoning.effort;
  if (reasoning?.budgetTokens !== undefined) {
    warnings.push(droppedParameter('reasoning.budgetTokens', quirks.type, 'only reasoning effort is supported'));
  }
  if (reasoning?.enabled === false) {
    warnings.push(droppedParameter('reasoning.enabled', quirks.type, 'reasoning cannot be switched off per request'));
  }
  return { fields, warnings };
}

/** Translates the unified reasoning controls to each vendor's knobs (or warnings where there are none). */
export function convertReasoningOptions(request: CanonicalRequest, quirks: OpenAIFamilyQuirks): ConvertedReasoning {
  if (quirks.qwenThinking) return convertQwenThinking(request);
  if (request.reasoning === undefined) return { fields: {}, warnings: [] };
  if (quirks.supportsReasoningEffort) return convertReasoningEffort(request, quirks);
  return {
    fields: {},
    warnings: [droppedParameter('reasoning', quirks.type, 'the model decides whether and how much to reason')],
  };
}
