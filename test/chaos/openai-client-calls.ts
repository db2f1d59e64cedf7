import OpenAI from 'openai';

/** What an OpenAI SDK client saw for one request. */
export interface ClientOutcome {
  text: string;
  /** `x-switchyard-attempts` of the response, when the gateway answered with headers. */
  attempts: number | undefined;
  /** The SDK error, raised either instead of a response or part-way through a stream. */
  error: InstanceType<typeof OpenAI.APIError> | undefined;
  /** True when the error came after the stream had started. */
  midStream: boolean;
  /** `x-request-id` of the answer: the id of the request's record. */
  requestId: string | undefined;
}

const MESSAGES = [{ role: 'user' as const, content: 'Tell me something.' }];

function requestIdOf(headers: Headers | undefined): string | undefined {
  return headers?.get('x-request-id') ?? undefined;
}

function attemptsOf(headers: Headers | undefined): number | undefined {
  const value = headers?.get('x-switchyard-attempts');
  return value === null || value === undefined ? undefined : Number(value);
}

function asApiError(error: unknown): InstanceType<typeof OpenAI.APIError> {
  if (error instanceof OpenAI.APIError) return error;
  throw error;
}

/** Sends one chat completion (streaming or not) and records what the client observed, errors included. */
export async function askOpenAI(client: OpenAI, model: string, stream: boolean): Promise<ClientOutcome> {
  if (!stream) {
    try {
      const { data, response } = await client.chat.completions.create({ model, messages: MESSAGES }).withResponse();
      return { text: data.choices[0]?.message.content ?? '', attempts: attemptsOf(response.headers), error: undefined, midStream: false, requestId: requestIdOf(response.headers) };
    } catch (error) {
      const apiError = asApiError(error);
      return { text: '', attempts: attemptsOf(apiError.headers), error: apiError, midStream: false, requestId: requestIdOf(apiError.headers) };
    }
  }
  let started;
  try {
    started = await client.chat.completions.create({ model, messages: MESSAGES, stream: true }).withResponse();
  } catch (error) {
    const apiError = asApiError(error);
    return { text: '', attempts: attemptsOf(apiError.headers), error: apiError, midStream: false, requestId: requestIdOf(apiError.headers) };
  }
  const outcome: ClientOutcome = { text: '', attempts: attemptsOf(started.response.headers), error: undefined, midStream: false, requestId: requestIdOf(started.response.headers) };
  try {
    for await (const chunk of started.data) outcome.text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    outcome.error = asApiError(error);
    outcome.midStream = true;
  }
  return outcome;
}
