import { isRecord, type CanonicalRequest, type Target } from '../../core/index.js';
import { fromOpenAIResponsesUsage } from '../../wire/openai-responses/openai-responses-usage.js';
import type { AnswerForwarder } from '../provider-adapter.js';
import { NamedEventForwarder, renamedAnswer, type AnswerNames, type ForwardedFrame, type NamedEventRules } from '../shared/named-event-forwarder.js';
import { responsesFinishReason } from './responses-upstream-outcome.js';
import { ResponsesUpstreamStreamDecoder } from './responses-upstream-stream-decoder.js';

/** Output items the client runs (its tools); a response holding one finished to call tools. */
const CLIENT_TOOL_CALLS: ReadonlySet<unknown> = new Set(['function_call', 'custom_tool_call', 'local_shell_call', 'computer_call']);

/** Stream events that carry the whole Response object, whose id and model the client gets as the gateway's. */
const RESPONSE_EVENTS: ReadonlySet<string | undefined> = new Set(['response.created', 'response.queued', 'response.in_progress', 'response.completed', 'response.incomplete']);

function calledTools(output: unknown): boolean {
  return Array.isArray(output) && output.some((item) => isRecord(item) && CLIENT_TOOL_CALLS.has(item.type));
}

/**
 * How a Responses API stream is forwarded: every event as sent, the types the gateway has no canonical form for
 * (custom tool calls, hosted tool calls, encrypted reasoning) intact; the Response object's id and model are the
 * gateway's, and an output item the decoder has no event for (a custom or hosted tool call) is output all the same.
 */
function responsesRules(names: AnswerNames): NamedEventRules {
  return {
    text(frame: ForwardedFrame): string {
      // Data on several lines is written again on one, as an SSE `data:` line must be.
      if (!RESPONSE_EVENTS.has(frame.name) && !frame.data.includes('\n')) return frame.data;
      const parsed = frame.payload();
      return JSON.stringify(isRecord(parsed) && isRecord(parsed.response) ? { ...parsed, response: { ...parsed.response, ...names } } : parsed);
    },
    isOutput(frame: ForwardedFrame): boolean {
      if (frame.name !== 'response.output_item.added') return false;
      const parsed = frame.payload();
      return isRecord(parsed) && isRecord(parsed.item) && parsed.item.type !== 'message';
    },
  };
}

/**
 * The forwarder for a Responses API client on a Responses API target, for a request the gateway neither stores nor
 * continues (the dialect then sets `passthrough`): answers go out in the upstream's own shape, named as the gateway
 * names them (`resp_<request id>`, the client's model).
 */
export function forwardResponsesAnswer(request: CanonicalRequest, target: Target, requestId: string): AnswerForwarder | undefined {
  if (request.passthrough?.format !== 'openai-responses') return undefined;
  const providerId = target.provider.id;
  const names: AnswerNames = { id: `resp_${requestId}`, model: request.model };
  return {
    forwardBody(text, body) {
      // A failed response or one without output is translated, which reports it as the error it is.
      if (!isRecord(body) || body.status === 'failed' || !Array.isArray(body.output)) return undefined;
      return [
        { type: 'wire', data: renamedAnswer(text, body, names) },
        { type: 'usage', usage: fromOpenAIResponsesUsage(body.usage) },
        { type: 'finish', reason: responsesFinishReason(body, calledTools(body.output)) },
      ];
    },
    createStreamDecoder: () => new NamedEventForwarder(new ResponsesUpstreamStreamDecoder(providerId), responsesRules(names)),
  };
}
