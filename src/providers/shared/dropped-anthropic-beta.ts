import { boundText, droppedParameter, type CanonicalRequest, type Target, type Warning } from '../../core/index.js';

/**
 * The warning for a client's `anthropic-beta` header when the target is not Anthropic: betas switch on features of
 * Anthropic's own API, so no other provider can honour them and they are not sent; undefined when nothing is dropped.
 */
export function droppedAnthropicBeta(request: CanonicalRequest, target: Target): Warning | undefined {
  const betas = request.passthrough?.headers?.['anthropic-beta'];
  if (betas === undefined || target.provider.type === 'anthropic') return undefined;
  return droppedParameter('anthropic-beta', target.provider.id, `beta features (${boundText(betas, 300)}) exist only on Anthropic's API`);
}
