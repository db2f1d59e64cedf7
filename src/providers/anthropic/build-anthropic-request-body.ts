import { droppedParameter } from '../../core/index.js';
import type { CanonicalRequest, Target, Warning } from '../../core/index.js';
import type { AnthropicRequestBody } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.js';
import { prepareAnthropicGeneration } from './prepare-anthropic-generation.js';
import { prepareAnthropicTools } from './prepare-anthropic-tools.js';

/** The Messages body for one target and the settings that could not be honoured exactly. */
export interface AnthropicRequestBuild {
  body: AnthropicRequestBody;
  warnings: Warning[];
}

function providerOptionWarnings(options: CanonicalRequest['providerOptions']): Warning[] {
  return Object.keys(options ?? {})
    .filter((format) => format !== 'anthropic')
    .map((format) => ({
      code: 'parameter_dropped',
      param: `providerOptions.${format}`,
      message: `providerOptions.${format} dropped for Anthropic: they apply only to ${format} targets`,
    }));
}

/**
 * Translates a canonical request into an Anthropic Messages body. `providerOptions.anthropic` is merged last, so it
 * can set fields the canonical model lacks (`service_tier`, `container`, beta fields) or override translated ones.
 */
export function buildAnthropicRequestBody(
  request: CanonicalRequest,
  target: Target,
  version: AnthropicApiVersion,
): AnthropicRequestBuild {
  const { model, info } = target;
  const prompt = convertToAnthropicMessages(request.messages);
  const generation = prepareAnthropicGeneration(request, model, info, version);
  const tools = prepareAnthropicTools(request, info, generation.thinking);

  const system = [...prompt.system, ...tools.systemInstructions.map((text) => ({ type: 'text' as const, text }))];
  const body: AnthropicRequestBody = {
    model,
    messages: prompt.messages,
    stream: request.stream,
    ...generation.fields,
    ...tools.fields,
  };
  if (system.length > 0) body.system = system;
  if (request.user !== undefined) body.metadata = { user_id: request.user };
  Object.assign(body, request.providerOptions?.anthropic);

  const warnings = [...generation.warnings, ...tools.warnings, ...providerOptionWarnings(request.providerOptions)];
  // Anthropic's `metadata` holds only `user_id`; free-form tags have nowhere to go.
  if (request.metadata !== undefined) warnings.push(droppedParameter('metadata', 'Anthropic', 'its metadata holds only user_id'));
  return { body, warnings };
}
