/**
 * Attribute names from the OpenTelemetry semantic conventions (GenAI, HTTP, error) plus Switchyard's own. The GenAI
 * names are still "incubating" upstream, so they are spelled out here rather than imported from a moving package.
 */
export const ATTR = {
  genAiOperationName: 'gen_ai.operation.name',
  genAiProviderName: 'gen_ai.provider.name',
  genAiSystem: 'gen_ai.system',
  genAiRequestModel: 'gen_ai.request.model',
  genAiRequestStream: 'gen_ai.request.stream',
  genAiResponseModel: 'gen_ai.response.model',
  genAiResponseFinishReasons: 'gen_ai.response.finish_reasons',
  genAiResponseTimeToFirstChunk: 'gen_ai.response.time_to_first_chunk',
  genAiUsageInputTokens: 'gen_ai.usage.input_tokens',
  genAiUsageOutputTokens: 'gen_ai.usage.output_tokens',
  genAiUsageCacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  genAiUsageCacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  genAiUsageReasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  httpRequestMethod: 'http.request.method',
  httpRoute: 'http.route',
  httpResponseStatusCode: 'http.response.status_code',
  errorType: 'error.type',
  serviceName: 'service.name',
  requestId: 'switchyard.request.id',
  clientFormat: 'switchyard.client_format',
  keyId: 'switchyard.key_id',
  providerId: 'switchyard.provider.id',
  overheadMs: 'switchyard.overhead_ms',
  attemptCount: 'switchyard.attempt.count',
  attemptIndex: 'switchyard.attempt.index',
  retryWaitMs: 'switchyard.attempt.retry_wait_ms',
} as const;
