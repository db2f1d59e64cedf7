import { stringifyPretty4 } from './json-styles.js';
import { fixtureText, recordedHeaders } from './recorded-fixtures.js';
import type { ErrorReply } from './wire-format.js';

const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

/** OpenAI's documented 5xx body, also what its SDK surfaces for an in-band `data: {"error":…}` event. */
export const OPENAI_SERVER_ERROR = {
  error: { message: SERVER_ERROR_MESSAGE, type: 'server_error', param: null, code: null },
};

function openAiError(message: string, type: string, param: string | null, code: string | null): unknown {
  return { error: { message, type, param, code } };
}

function defaultOpenAiErrorBody(status: number, model: string): string {
  if (status === 401) return fixtureText('openai-error-401.json');
  if (status === 429) return fixtureText('openai-error-429.json');
  if (status >= 500) return stringifyPretty4(OPENAI_SERVER_ERROR);
  if (status === 400) {
    return stringifyPretty4(
      openAiError(
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 150000 tokens. Please reduce the length of the messages.",
        'invalid_request_error',
        'messages',
        'context_length_exceeded',
      ),
    );
  }
  if (status === 404) {
    return stringifyPretty4(
      openAiError(
        `The model \`${model}\` does not exist or you do not have access to it.`,
        'invalid_request_error',
        null,
        'model_not_found',
      ),
    );
  }
  return stringifyPretty4(openAiError(`Request failed with status ${status}.`, 'invalid_request_error', null, null));
}

/** An OpenAI error response: recorded body and headers for 401/429, documented shapes for the rest. */
export function openAiErrorReply(status: number, body: unknown, model: string, requestId: string): ErrorReply {
  const sample = status === 429 ? 'openai-error-429.json' : 'openai-error-401.json';
  let text: string;
  if (body === undefined) text = defaultOpenAiErrorBody(status, model);
  else text = typeof body === 'string' ? body : stringifyPretty4(body);
  return { headers: recordedHeaders(sample, requestId), body: text };
}
