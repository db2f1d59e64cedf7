import { isRecord, type FinishReason, type GatewayError } from '../../core/index.js';
import { mapOpenAIStreamError } from '../openai-compatible/map-openai-error.js';

/** The finish reason of a Responses API response: its status, its incomplete reason, and whether it called tools. */
export function responsesFinishReason(response: Record<string, unknown>, calledTools: boolean): FinishReason {
  const status = typeof response.status === 'string' ? response.status : 'completed';
  if (status === 'incomplete') {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    if (reason === 'content_filter') return { unified: 'content-filter', raw: 'content_filter' };
    return { unified: 'length', raw: typeof reason === 'string' ? reason : 'incomplete' };
  }
  return calledTools ? { unified: 'tool-calls', raw: status } : { unified: 'stop', raw: status };
}

/** A failed response (`response.failed`, a body with `status: failed`) or an `error` event, as a GatewayError. */
export function responsesFailure(error: unknown, providerId: string): GatewayError {
  const detail = isRecord(error) ? error : {};
  return mapOpenAIStreamError({ error: { message: typeof detail.message === 'string' ? detail.message : 'the response failed', type: detail.type ?? null, code: detail.code ?? null, param: detail.param ?? null } }, providerId);
}
