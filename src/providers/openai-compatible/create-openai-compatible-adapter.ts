import type { ProviderAdapter, UpstreamRequest } from '../provider-adapter.js';
import type { ProviderType } from '../../core/index.js';
import { buildOpenAIChatBody } from './build-openai-chat-body.js';
import { forwardOpenAIAnswer } from './forward-openai-answer.js';
import { mapOpenAIError } from './map-openai-error.js';
import type { OpenAIFamilyType } from '../../core/index.js';
import { isOpenAIFamilyType } from './openai-family-transports.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';
import { OPENAI_FAMILY_QUIRKS } from './openai-family-quirks.js';
import { buildOpenAIEmbeddingsRequest, parseOpenAIEmbeddingsResponse } from './openai-embeddings.js';
import { OpenAIStreamDecoder } from './openai-stream-decoder.js';
import { buildOpenAIHeaders } from './openai-upstream-headers.js';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';
import { rewritePassthroughBody } from './rewrite-passthrough-body.js';
import { clientBytesFor } from '../shared/client-bytes.js';
import type { Target } from '../../core/index.js';
import { buildResponsesRequestBody } from '../openai-responses/build-responses-request-body.js';
import { convertResponsesUpstreamResponse } from '../openai-responses/convert-responses-upstream-response.js';
import { ResponsesUpstreamStreamDecoder } from '../openai-responses/responses-upstream-stream-decoder.js';
import { forwardResponsesAnswer } from '../openai-responses/forward-responses-answer.js';

/** Whether a target's generations go to the upstream's Responses API (`api: responses` on an `openai` provider). */
function speaksResponses(target: Target): boolean {
  return target.provider.type === 'openai' && target.provider.options.api === 'responses';
}

function buildAdapter(quirks: OpenAIFamilyQuirks): ProviderAdapter {
  return {
    format: 'openai-chat',
    toUpstream(request, target): UpstreamRequest {
      const headers = buildOpenAIHeaders(target.provider);
      if (speaksResponses(target)) {
        if (request.passthrough?.format === 'openai-responses') {
          const body = { ...request.passthrough.body, model: target.model };
          return { path: '/responses', headers, body: clientBytesFor(request.passthrough, body) ?? JSON.stringify(body), warnings: [], forwarded: true };
        }
        const { body, warnings } = buildResponsesRequestBody(request, target.model);
        return { path: '/responses', headers, body: JSON.stringify(body), warnings };
      }
      if (request.passthrough?.format === 'openai-chat') {
        const body = rewritePassthroughBody(request, request.passthrough.body, target.model, quirks);
        return { path: '/chat/completions', headers, body: clientBytesFor(request.passthrough, body) ?? JSON.stringify(body), warnings: [] };
      }
      const { body, warnings } = buildOpenAIChatBody(request, target.model, quirks);
      return { path: '/chat/completions', headers, body: JSON.stringify(body), warnings };
    },
    fromUpstream: (body, target) =>
      speaksResponses(target) ? convertResponsesUpstreamResponse(body, target.provider.id, target.model) : parseOpenAIChatResponse(body, target.provider.id, target.model),
    createStreamDecoder: (target) => (speaksResponses(target) ? new ResponsesUpstreamStreamDecoder(target.provider.id) : new OpenAIStreamDecoder(target.provider.id)),
    forwarderFor: (request, target, requestId) =>
      speaksResponses(target) ? forwardResponsesAnswer(request, target, requestId) : forwardOpenAIAnswer(request, target, requestId),
    toGatewayError: (status, headers, body, target) => mapOpenAIError(status, headers, body, target.provider.id),
    toEmbeddingsUpstream: (request, target) => buildOpenAIEmbeddingsRequest(request, target, quirks),
    fromEmbeddingsUpstream: (body, target) => parseOpenAIEmbeddingsResponse(body, target),
  };
}

const ADAPTERS: Readonly<Record<OpenAIFamilyType, ProviderAdapter>> = {
  openai: buildAdapter(OPENAI_FAMILY_QUIRKS.openai),
  deepseek: buildAdapter(OPENAI_FAMILY_QUIRKS.deepseek),
  qwen: buildAdapter(OPENAI_FAMILY_QUIRKS.qwen),
  mistral: buildAdapter(OPENAI_FAMILY_QUIRKS.mistral),
  groq: buildAdapter(OPENAI_FAMILY_QUIRKS.groq),
  'openai-compatible': buildAdapter(OPENAI_FAMILY_QUIRKS['openai-compatible']),
};

/** The Chat Completions adapter for one OpenAI-family provider type (built once per type, shared). */
export function createOpenAICompatibleAdapter(type: ProviderType): ProviderAdapter {
  if (!isOpenAIFamilyType(type)) throw new TypeError(`${type} is not an OpenAI-family provider type`);
  return ADAPTERS[type];
}
