/** The body of `POST /v1/responses/input_tokens`. */
export function renderInputTokens(inputTokens: number): { object: 'response.input_tokens'; input_tokens: number } {
  return { object: 'response.input_tokens', input_tokens: inputTokens };
}
