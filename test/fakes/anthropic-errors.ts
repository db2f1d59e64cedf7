import { fixtureText, recordedHeaders } from './recorded-fixtures.js';
import type { ErrorReply } from './wire-format.js';

const RECORDED_BODIES: Record<number, string> = {
  400: 'anthropic-error-400-context.json',
  401: 'anthropic-error-401.json',
  529: 'anthropic-error-529.json',
};

/** error.type and message per status, from Anthropic's errors page (messages are the documented or SDK ones). */
const DOCUMENTED_ERRORS: Record<number, [type: string, message: string]> = {
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'model: not found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: [
    'rate_limit_error',
    'Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.',
  ],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out'],
};

function defaultAnthropicErrorBody(status: number, requestId: string): string {
  const recorded = RECORDED_BODIES[status];
  if (recorded !== undefined) return fixtureText(recorded);
  const fallback: [string, string] =
    status >= 500 ? ['api_error', 'Internal server error'] : ['invalid_request_error', `Request failed with status ${status}.`];
  const [type, message] = DOCUMENTED_ERRORS[status] ?? fallback;
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/** An Anthropic error response; `x-should-retry: false` only where it was recorded (400 and 401). */
export function anthropicErrorReply(status: number, body: unknown, requestId: string): ErrorReply {
  const headers = recordedHeaders('anthropic-error-401.json', requestId);
  if (status !== 400 && status !== 401) delete headers['x-should-retry'];
  let text: string;
  if (body === undefined) text = defaultAnthropicErrorBody(status, requestId);
  else text = typeof body === 'string' ? body : JSON.stringify(body);
  return { headers, body: text };
}
