/** The upstream API keys the gateway holds; they must never reach a client. */
export const UPSTREAM_KEYS = {
  openai: 'sk-proj-upstreamOpenAiSecret0123456789',
  anthropic: 'sk-ant-api03-upstreamAnthropicSecret0123',
  gemini: 'AIzaSyUpstreamGeminiSecret0123456789abc',
} as const;
