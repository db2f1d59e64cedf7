import { isRecord, type CanonicalRequest, type Warning } from '../../core/index.js';
import type { GeminiRequestBody } from '../../wire/gemini/gemini-request-schema.js';

/**
 * Merges `providerOptions.gemini` into the body (e.g. `safetySettings`, `cachedContent`); objects such as
 * `generationConfig` merge one level deep so a Gemini-only knob does not wipe the translated settings. Options
 * meant for other formats are reported as dropped.
 */
export function mergeGeminiProviderOptions(body: GeminiRequestBody, request: CanonicalRequest, warnings: Warning[]): void {
  for (const [format, options] of Object.entries(request.providerOptions ?? {})) {
    if (format === 'gemini') continue;
    const keys = Object.keys(options);
    if (keys.length === 0) continue;
    warnings.push({
      code: 'parameter_dropped',
      param: `providerOptions.${format}`,
      message: `${format}-only options (${keys.join(', ')}) dropped for gemini`,
    });
  }
  for (const [key, value] of Object.entries(request.providerOptions?.gemini ?? {})) {
    const current = body[key];
    body[key] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
}
