import { stringifyGeminiEvent, stringifyPretty2 } from './json-styles.js';
import { fixtureText, recordedHeaders } from './recorded-fixtures.js';
import type { ErrorReply } from './wire-format.js';

const UNAVAILABLE_MESSAGE =
  'This model is currently experiencing high demand. Spikes in demand are usually temporary. Please try again later.';

/** Google's canonical status name and a representative message per HTTP status. */
function canonicalError(status: number, model: string): [status: string, message: string] {
  switch (status) {
    case 401:
      return ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'];
    case 403:
      return ['PERMISSION_DENIED', 'Permission denied: Consumer does not have access to this model.'];
    case 404:
      return [
        'NOT_FOUND',
        `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
      ];
    case 500:
      return ['INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting'];
    case 503:
      return ['UNAVAILABLE', UNAVAILABLE_MESSAGE];
    case 504:
      return ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'];
    default:
      return status >= 500
        ? ['INTERNAL', 'Internal error encountered.']
        : ['INVALID_ARGUMENT', 'Request contains an invalid argument.'];
  }
}

function defaultGeminiErrorBody(status: number, model: string): string {
  if (status === 400) return fixtureText('gemini-error-400-apikey.json');
  if (status === 429) return fixtureText('gemini-error-429.json');
  const [name, message] = canonicalError(status, model);
  return stringifyPretty2({ error: { code: status, message, status: name } });
}

/** A Gemini error response: recorded bodies for 400 (bad key) and 429, canonical google.rpc shapes otherwise. */
export function geminiErrorReply(status: number, body: unknown, model: string): ErrorReply {
  const headers = recordedHeaders(status === 429 ? 'gemini-error-429.json' : 'gemini-error-400-apikey.json', '');
  let text: string;
  if (body === undefined) text = defaultGeminiErrorBody(status, model);
  else text = typeof body === 'string' ? body : stringifyPretty2(body);
  return { headers, body: text };
}

/** The in-band error event js-genai throws on: a bare `{"error":…}` chunk (503 UNAVAILABLE). */
export function geminiInBandError(): string {
  const error = { error: { code: 503, message: UNAVAILABLE_MESSAGE, status: 'UNAVAILABLE' } };
  return `data: ${stringifyGeminiEvent(error)}\r\n\r\n`;
}
