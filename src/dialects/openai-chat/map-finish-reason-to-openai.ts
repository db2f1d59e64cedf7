import type { FinishReason } from '../../core/index.js';

export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/** Maps the unified finish reason to OpenAI's `finish_reason`; `error` and `other` have no OpenAI value and become `stop`. */
export function mapFinishReasonToOpenAI(reason: FinishReason): OpenAIFinishReason {
  switch (reason.unified) {
    case 'length':
      return 'length';
    case 'tool-calls':
      return 'tool_calls';
    case 'content-filter':
      return 'content_filter';
    case 'stop':
    case 'error':
    case 'other':
      return 'stop';
  }
}
