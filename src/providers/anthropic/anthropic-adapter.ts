import type { ProviderAdapter } from '../provider-adapter.js';
import { ANTHROPIC_MESSAGES_PATH, buildAnthropicHeaders, resolveAnthropicVersion } from './anthropic-settings.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { buildAnthropicRequestBody } from './build-anthropic-request-body.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';
import { forwardAnthropicAnswer } from './forward-anthropic-answer.js';
import { forwardAnthropicPassthrough } from './forward-anthropic-passthrough.js';
import { anthropicHttpError } from './map-anthropic-error.js';
import { clientBytesFor } from '../shared/client-bytes.js';

/** The Anthropic Messages adapter: pure translation both ways, for every `anthropic` provider. */
export const anthropicAdapter: ProviderAdapter = {
  format: 'anthropic-messages',

  toUpstream(request, target) {
    const version = resolveAnthropicVersion(target.provider);
    const passthrough = request.passthrough?.format === 'anthropic-messages' ? request.passthrough : undefined;
    const { body, warnings } = passthrough ? forwardAnthropicPassthrough(passthrough.body, target.model, version) : buildAnthropicRequestBody(request, target, version);
    const headers = buildAnthropicHeaders(target.provider);
    const clientBetas = passthrough?.headers?.['anthropic-beta'];
    // A client's betas shape its own body, so they travel with it; the provider's configured betas are kept too.
    if (clientBetas !== undefined) headers['anthropic-beta'] = headers['anthropic-beta'] ? `${headers['anthropic-beta']},${clientBetas}` : clientBetas;
    const bytes = passthrough ? clientBytesFor(passthrough, body) : undefined;
    return { path: ANTHROPIC_MESSAGES_PATH, headers, body: bytes ?? JSON.stringify(body), warnings };
  },

  fromUpstream(body, target) {
    return convertFromAnthropicResponse(body, target.model);
  },

  createStreamDecoder(target) {
    return new AnthropicStreamDecoder(target.provider.id);
  },

  forwarderFor: forwardAnthropicAnswer,

  toGatewayError(status, headers, body, target) {
    return anthropicHttpError(status, headers, body, target.provider.id);
  },
};
