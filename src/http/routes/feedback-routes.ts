import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import { anthropicMessagesDialect } from '../../dialects/anthropic-messages/index.js';
import type { Dialect } from '../../dialects/dialect.js';
import { geminiDialect } from '../../dialects/gemini/index.js';
import { openAIChatDialect } from '../../dialects/openai-chat/index.js';
import { registerClientFormatConstraint, type ClientFormat } from '../client-format-constraint.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import type { FeedbackEntry } from '../../ports/request-log-store.js';

/**
 * Response ids wrap the gateway's request id (OpenAI's `chatcmpl-…`, the Responses API's `resp_…`, Anthropic's `msg_…`),
 * so the id a client's SDK hands back names the request as well as `x-request-id` does.
 */
const RESPONSE_ID_PREFIXES = ['chatcmpl-', 'resp_', 'msg_'] as const;

/** The request id a client-given id names: a response id's prefix stripped, anything else as given. */
function requestIdOf(given: string): string {
  const prefix = RESPONSE_ID_PREFIXES.find((candidate) => given.startsWith(candidate));
  return prefix === undefined ? given : given.slice(prefix.length);
}

const feedbackBodySchema = z.strictObject({
  request_id: z.string().min(1).max(200),
  metric: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'use 1 to 64 letters, digits, _ . : -')
    .default('quality'),
  score: z.union([z.number().min(0).max(1), z.boolean()]),
  comment: z.string().max(4000).optional(),
});

/** The first validation issue as an OpenAI-style message naming the field at fault. */
function invalidBody(error: z.ZodError): GatewayError {
  const issue = error.issues[0];
  const param = issue?.path.map(String).join('.') ?? '';
  const detail = issue?.code === 'invalid_union' ? 'expected a number from 0 to 1 or a boolean' : (issue?.message ?? 'invalid body');
  return new GatewayError('invalid_request', `Invalid feedback${param ? ` at ${param}` : ''}: ${detail}`, param ? { param } : {});
}

/** Validates a feedback body into the entry to store; throws an `invalid_request` GatewayError naming the field. */
export function parseFeedbackBody(body: unknown, at: number): FeedbackEntry {
  const parsed = feedbackBodySchema.safeParse(body);
  if (!parsed.success) throw invalidBody(parsed.error);
  const { request_id: given, metric, score, comment } = parsed.data;
  const requestId = requestIdOf(given);
  const value = typeof score === 'boolean' ? Number(score) : score;
  return { requestId, metric, score: value, at, ...(comment === undefined ? {} : { comment }) };
}

/** The feedback answer both `/v1/feedback` and the dashboard's `/admin/feedback` send. */
export function feedbackAnswer(entry: FeedbackEntry): Record<string, unknown> {
  const { requestId, metric, score, comment } = entry;
  return { object: 'feedback', request_id: requestId, metric, score, ...(comment === undefined ? {} : { comment }) };
}

/** The error format per calling SDK; OpenAI's for any other client. */
const FORMAT_DIALECTS: ReadonlyArray<[ClientFormat | undefined, Dialect]> = [
  [undefined, openAIChatDialect],
  ['anthropic', anthropicMessagesDialect],
  ['gemini', geminiDialect],
];

/**
 * `POST /v1/feedback`: a score on a request the gateway served, by its `x-request-id`; idempotent per (request, metric).
 * Errors come in the calling SDK's format (Anthropic's with `anthropic-version`, Gemini's with `x-goog-api-key` or
 * `x-goog-api-client`, else OpenAI's); the success body is the same for all.
 */
export function registerFeedbackRoutes(app: FastifyInstance, service: GatewayService): void {
  registerClientFormatConstraint(app);
  for (const [format, dialect] of FORMAT_DIALECTS) {
    app.post('/v1/feedback', { config: { dialect }, ...(format ? { constraints: { clientFormat: format } } : {}) }, async function giveFeedback(request) {
      const entry = parseFeedbackBody(request.body, Date.now());
      await service.giveFeedback(entry, request.caller);
      return feedbackAnswer(entry);
    });
  }
}
