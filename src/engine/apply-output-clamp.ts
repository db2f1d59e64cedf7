import { isRecord, type CanonicalRequest, type Target, type Warning } from '../core/index.js';

/** The warning a clamped target's response carries, in `x-switchyard-warnings` and on the record. */
export function outputClampWarning(target: Target): Warning | undefined {
  const clamp = target.outputClamp;
  if (!clamp) return undefined;
  return {
    code: 'parameter_adjusted',
    param: 'max_tokens',
    message: `max_tokens ${clamp.requested} lowered to ${clamp.clamped} for ${target.provider.id}/${target.model} to fit ${clamp.limit}`,
  };
}

/** Writes the clamped budget into a forwarded client body, where that body's format keeps it. */
function clampPassthroughBody(passthrough: NonNullable<CanonicalRequest['passthrough']>, clamped: number): Record<string, unknown> {
  const body = { ...passthrough.body };
  switch (passthrough.format) {
    case 'anthropic-messages':
      body.max_tokens = clamped;
      break;
    case 'openai-chat':
      if (body.max_completion_tokens !== undefined && body.max_completion_tokens !== null) body.max_completion_tokens = clamped;
      else body.max_tokens = clamped;
      break;
    case 'openai-responses':
      body.max_output_tokens = clamped;
      break;
    case 'gemini':
      body.generationConfig = { ...(isRecord(body.generationConfig) ? body.generationConfig : {}), maxOutputTokens: clamped };
      break;
  }
  return body;
}

/** The request as one target receives it: with the output budget routing clamped for that target, if any. */
export function requestForTarget(request: CanonicalRequest, target: Target): CanonicalRequest {
  const clamp = target.outputClamp;
  if (!clamp) return request;
  const out: CanonicalRequest = { ...request, maxOutputTokens: clamp.clamped };
  if (request.passthrough) out.passthrough = { ...request.passthrough, body: clampPassthroughBody(request.passthrough, clamp.clamped) };
  return out;
}
