import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import type { AggregateRow, FeedbackEntry, RequestLogStore } from '../../ports/request-log-store.js';
import { describeIssue, sendAdminError, windowSchema } from './admin-replies.js';
import { feedbackAnswer, parseFeedbackBody } from './feedback-routes.js';

/** What the dashboard's own admin routes need; each route is absent when its part is. */
export interface AdminDashboardDeps {
  store?: Pick<RequestLogStore, 'aggregate'>;
  /** Runs `/v1/compare` for the signed-in administrator (no virtual key needed). */
  compare?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  giveFeedback?: (entry: FeedbackEntry) => Promise<void>;
  now: () => number;
}

/** One time bucket of `GET /admin/stats/series`: every request that started in `[from, to)` as one aggregate. */
export interface SeriesBucket extends Omit<AggregateRow, 'key'> {
  from: number;
  to: number;
}

const MAX_BUCKETS = 120;

const seriesQuerySchema = z.object({
  window: windowSchema.default(3_600_000),
  buckets: z.coerce.number().int().min(1).max(MAX_BUCKETS).default(24),
});

function emptyBucket(from: number, to: number): SeriesBucket {
  return {
    from,
    to,
    count: 0,
    errorCount: 0,
    errorRate: 0,
    fallbackRate: 0,
    latencyMs: { p50: 0, p95: 0, p99: 0 },
    tokens: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 },
  };
}

/**
 * The admin routes the dashboard (`/ui`) adds: traffic over time in buckets, and comparisons and feedback for the
 * signed-in administrator. Registered inside the admin scope, so the admin key is checked before these run.
 */
export function registerAdminDashboardRoutes(scope: FastifyInstance, deps: AdminDashboardDeps): void {
  const { store, compare, giveFeedback } = deps;
  if (store) {
    scope.get('/stats/series', async function getStatsSeries(request, reply) {
      const parsed = seriesQuerySchema.safeParse(request.query);
      if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
      const { window, buckets } = parsed.data;
      const bucketMs = Math.max(1_000, Math.floor(window / buckets));
      // Bucket edges sit on multiples of the bucket size, so successive polls show the same buckets.
      const to = Math.ceil(deps.now() / bucketMs) * bucketMs;
      const from = to - bucketMs * buckets;
      const data = await Promise.all(
        Array.from({ length: buckets }, async (_, index) => {
          const start = from + index * bucketMs;
          const [row] = await store.aggregate({ from: start, to: start + bucketMs, groupBy: 'all' });
          if (!row) return emptyBucket(start, start + bucketMs);
          const { key: _key, ...totals } = row;
          return { from: start, to: start + bucketMs, ...totals };
        }),
      );
      return { from, to, bucketMs, data };
    });
  }
  if (compare) scope.post('/compare', compare);
  if (giveFeedback) {
    scope.post('/feedback', async function giveAdminFeedback(request, reply) {
      try {
        const entry = parseFeedbackBody(request.body, deps.now());
        await giveFeedback(entry);
        return feedbackAnswer(entry);
      } catch (error) {
        if (error instanceof GatewayError && error.status < 500) return sendAdminError(reply, error.status, error.code, error.message);
        throw error;
      }
    });
  }
}
