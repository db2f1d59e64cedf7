import { GatewayError, isRecord } from '../core/index.js';

/** More legs than this is a load test, not a comparison. */
const MAX_COMPARE_MODELS = 8;

/** A `/v1/compare` body split into the models to compare and the chat request they all get. */
export interface CompareRequest {
  models: string[];
  /** The OpenAI chat request without `models` and `judge` (and without `model`, which each leg sets). */
  chat: Record<string, unknown>;
  /** `judge` as the client gave it: false skips a configured judge, true requires one. */
  judge?: boolean;
}

/** Validates a `/v1/compare` body: an OpenAI chat request plus `models`, 1 to 8 model names, and an optional `judge` flag. */
export function parseCompareRequest(body: unknown): CompareRequest {
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'Request body must be a JSON object');
  const { models, model: _model, judge, ...chat } = body;
  if (judge !== undefined && typeof judge !== 'boolean') throw new GatewayError('invalid_request', 'judge must be true or false', { param: 'judge' });
  if (!Array.isArray(models) || models.length === 0 || models.length > MAX_COMPARE_MODELS) {
    throw new GatewayError('invalid_request', `models must be an array of 1 to ${MAX_COMPARE_MODELS} model names`, { param: 'models' });
  }
  const names = models.map((name, index) => {
    if (typeof name !== 'string' || name === '') {
      throw new GatewayError('invalid_request', `models[${index}] must be a model name`, { param: `models[${index}]` });
    }
    return name;
  });
  return { models: names, chat, ...(judge === undefined ? {} : { judge }) };
}
