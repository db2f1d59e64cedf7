import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, type AttemptRecord } from '../../core/index.js';
import type { BreakerSnapshot, ConfigInfo, ReloadOutcome, RoutingOverviewState, RoutingStatisticsView } from '../../ports/gateway-service.js';
import type { FeedbackOverview, RoutingOverview } from '../../ports/routing-overview.js';
import { decodeRequestLogCursor, type FeedbackSummaryRow, type RequestLogQuery, type RequestLogStore } from '../../ports/request-log-store.js';
import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyAdministration } from '../../ports/virtual-key.js';
import { quotable, registerAdminKeyRoutes } from './admin-key-routes.js';
import { registerAdminBatchRoutes } from './admin-batch-routes.js';
import type { BatchJobs } from '../../ports/batch-service.js';
import { describeIssue, sendAdminError, windowSchema } from './admin-replies.js';
import { registerAdminDashboardRoutes, type AdminDashboardDeps } from './admin-dashboard-routes.js';

export interface AdminRouteDeps {
  /** The request log; without one the request and stats routes are absent. */
  store?: Pick<RequestLogStore, 'query' | 'get' | 'aggregate' | 'feedbackSummary' | 'listComparisons' | 'getComparison'>;
  /** Key management and the audit log; without them `/admin/keys` and `/admin/audit` are absent. */
  keys?: KeyAdministration;
  audit?: AuditLog;
  /** The admin key; when unset or empty the admin API answers 403 and says how to enable it. */
  adminKey?: string;
  /** Wall-clock epoch ms for stats windows; default `Date.now`. */
  now?: () => number;
  /** Circuit-breaker state per deployment, for `GET /admin/breakers`. */
  breakers?: () => Promise<BreakerSnapshot[]>;
  /** This replica's latency and load statistics, for `GET /admin/routing/stats`. */
  routingStatistics?: () => RoutingStatisticsView;
  /** Every alias's strategy, weights, statistics, cache hit rate and history at a wall time, for `GET /admin/routing`. */
  routingOverview?: (at: number) => RoutingOverviewState;
  /** The config this process serves, for `GET /admin/config`. */
  configInfo?: () => ConfigInfo;
  /** Re-reads and applies the config, for `POST /admin/reload`; absent when the gateway has no config source. */
  reloadConfig?: () => Promise<ReloadOutcome>;
  /** Batch jobs, for `/admin/batches`; undefined while the batch runner is off. */
  batches?: () => BatchJobs | undefined;
  /** The dashboard's comparisons and ratings, run for the administrator (`POST /admin/compare`, `/admin/feedback`). */
  dashboard?: Pick<AdminDashboardDeps, 'compare' | 'giveFeedback'>;
}

/** One attempt placed on the request's time axis (ms after the request arrived). */
export interface AttemptTimelineEntry extends AttemptRecord {
  index: number;
  startMs: number;
  endMs: number;
}

const DISABLED_MESSAGE =
  'The admin API is disabled: set server.admin_key in the config (or SWITCHYARD_ADMIN_KEY in the environment) to enable it';

const timestamp = z.string().transform((value, context) => {
  const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isFinite(parsed)) return parsed;
  context.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO 8601 time' });
  return z.NEVER;
});

const requestsQuerySchema = z.object({
  from: timestamp.optional(),
  to: timestamp.optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  status: z
    .union([z.enum(['ok', 'error']), z.string().regex(/^[1-5]\d\d$/, 'expected an HTTP status, ok or error').transform(Number)])
    .optional(),
  q: z.string().max(200).optional(),
  fallback: z.enum(['true', 'false'], 'expected true or false').transform((value) => value === 'true').optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z
    .string()
    .refine((cursor) => decodeRequestLogCursor(cursor) !== undefined, 'malformed cursor; pass nextCursor from the previous page')
    .optional(),
});

const statsQuerySchema = z.object({
  window: windowSchema.default(3_600_000),
  to: timestamp.optional(),
  group_by: z.enum(['model', 'provider', 'key', 'all']).default('model'),
});

const feedbackSummaryQuerySchema = statsQuerySchema.omit({ group_by: true });

const routingQuerySchema = z.object({ window: statsQuerySchema.shape.window.default(86_400_000) });

/** The feedback rows of the requests that named `alias`, by serving target. */
function feedbackOf(rows: readonly FeedbackSummaryRow[], alias: string): FeedbackOverview[] {
  return rows
    .filter((row) => row.requestedModel === alias)
    .map(({ provider, model, taskClass, metric, count, meanScore }) => ({ target: `${provider}/${model}`, taskClass, metric, count, meanScore }));
}

const comparisonsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z
    .string()
    .refine((cursor) => decodeRequestLogCursor(cursor) !== undefined, 'malformed cursor; pass nextCursor from the previous page')
    .optional(),
});

const idParamsSchema = z.object({ id: z.string().min(1).max(200) });

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The key a caller presented, from `Authorization: Bearer …` or `x-admin-key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-admin-key'];
  if (typeof header === 'string' && header !== '') return header;
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1]?.trim();
}

/** Places each attempt on the request's time axis; attempts without a recorded start follow the previous one. */
export function buildAttemptTimeline(attempts: readonly AttemptRecord[]): AttemptTimelineEntry[] {
  let previousEnd = 0;
  return attempts.map((attempt, index) => {
    const startMs = Math.round((attempt.startOffsetMs ?? previousEnd + (attempt.retryWaitMs ?? 0)) * 100) / 100;
    const endMs = Math.round((startMs + attempt.latencyMs) * 100) / 100;
    previousEnd = endMs;
    return { ...attempt, index, startMs, endMs };
  });
}

/** `/admin/*`: request log queries, one request with its attempt timeline, per-model/provider stats, feedback, keys and audit. */
export function registerAdminRoutes(app: FastifyInstance, deps: AdminRouteDeps): void {
  const expected = deps.adminKey ? digest(deps.adminKey) : undefined;
  const now = deps.now ?? Date.now;

  app.register(
    async function adminScope(scope) {
      scope.addHook('onRequest', async function requireAdminKey(request, reply) {
        if (!expected) return sendAdminError(reply, 403, 'admin_disabled', DISABLED_MESSAGE);
        const key = presentedKey(request);
        if (key === undefined || !timingSafeEqual(digest(key), expected)) {
          void reply.header('www-authenticate', 'Bearer');
          return sendAdminError(reply, 401, 'authentication_failed', 'Missing or invalid admin key (Authorization: Bearer <key> or x-admin-key)');
        }
        return undefined;
      });

      scope.setErrorHandler(function renderAdminError(error, request, reply) {
        if (error instanceof z.ZodError) return sendAdminError(reply, 400, 'invalid_request', describeIssue(error));
        // The body parser's refusals (not JSON, too deep, wrong content type) keep their 4xx and message.
        if (error instanceof GatewayError && error.status < 500) return sendAdminError(reply, error.status, error.code, error.message);
        if ((error as { statusCode?: number }).statusCode === 400) return sendAdminError(reply, 400, 'invalid_request', (error as Error).message);
        request.log.error({ err: error }, 'admin request failed');
        const store = /^\/admin\/(keys|audit)(\/|\?|$)/.test(request.url) ? 'key store' : 'request log store';
        return sendAdminError(reply, 503, 'store_unavailable', `The ${store} could not answer; try again shortly`);
      });

      scope.setNotFoundHandler(function renderAdminNotFound(request, reply) {
        return sendAdminError(reply, 404, 'not_found', `No admin route for ${request.method} ${quotable(request.url.split('?')[0] ?? '')}`);
      });

      scope.get('/breakers', async function listBreakers() {
        return { data: deps.breakers ? await deps.breakers() : [] };
      });

      scope.get('/routing/stats', async function getRoutingStatistics() {
        return deps.routingStatistics ? deps.routingStatistics() : { deployments: [], stickySessions: 0 };
      });

      scope.get('/routing', async function getRoutingOverview(request, reply): Promise<RoutingOverview | FastifyReply> {
        const parsed = routingQuerySchema.safeParse(request.query);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const to = now();
        const from = to - parsed.data.window;
        const state = deps.routingOverview?.(to) ?? { at: to, historyIntervalMs: 0, historyCapacity: 0, cache: { hits: 0, misses: 0, hitRate: null }, aliases: [] };
        const rows = deps.store ? await deps.store.feedbackSummary({ from, to }) : [];
        return { ...state, window: { from, to }, aliases: state.aliases.map((alias) => ({ ...alias, feedback: feedbackOf(rows, alias.alias) })) };
      });
      if (deps.keys && deps.audit) registerAdminKeyRoutes(scope, deps.keys, deps.audit);
      if (deps.batches) registerAdminBatchRoutes(scope, deps.batches);
      registerAdminDashboardRoutes(scope, { ...deps.dashboard, ...(deps.store ? { store: deps.store } : {}), now });
      const store = deps.store;
      if (!store) return;

      scope.get('/config', async function showConfig() {
        return { data: deps.configInfo?.() ?? null };
      });

      scope.post('/reload', async function reloadConfig(_request, reply) {
        if (!deps.reloadConfig) {
          return sendAdminError(reply, 409, 'reload_unavailable', 'This gateway was started without a config source to re-read (library or test use)');
        }
        const outcome = await deps.reloadConfig();
        if (!outcome.reloaded) {
          const [first] = outcome.issues;
          return reply.code(422).send({
            error: { code: 'invalid_config', message: `Config rejected, still serving ${outcome.config.hash}: ${first ? `${first.path || '(root)'}: ${first.message}` : 'invalid'}` },
            issues: outcome.issues,
            data: outcome.config,
          });
        }
        return { data: outcome.config };
      });

      scope.get('/requests', async function listRequests(request, reply) {
        const parsed = requestsQuerySchema.safeParse(request.query);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const { key, q, ...rest } = parsed.data;
        const filter: RequestLogQuery = { ...rest, ...(key === undefined ? {} : { keyId: key }), ...(q === undefined ? {} : { text: q }) };
        const page = await store.query(filter);
        return { data: page.records, nextCursor: page.nextCursor ?? null };
      });

      scope.get('/requests/:id', async function getRequest(request, reply) {
        const parsed = idParamsSchema.safeParse(request.params);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const record = await store.get(parsed.data.id);
        if (!record) return sendAdminError(reply, 404, 'not_found', `No request with id ${parsed.data.id}`);
        return { data: record, timeline: buildAttemptTimeline(record.attempts) };
      });

      scope.get('/comparisons', async function listComparisons(request, reply) {
        const parsed = comparisonsQuerySchema.safeParse(request.query);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const page = await store.listComparisons(parsed.data);
        return { data: page.comparisons, nextCursor: page.nextCursor ?? null };
      });

      scope.get('/comparisons/:id', async function getComparison(request, reply) {
        const parsed = idParamsSchema.safeParse(request.params);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const comparison = await store.getComparison(parsed.data.id);
        if (!comparison) return sendAdminError(reply, 404, 'not_found', `No comparison with id ${parsed.data.id}`);
        return { data: comparison };
      });

      scope.get('/stats', async function getStats(request, reply) {
        const parsed = statsQuerySchema.safeParse(request.query);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const to = parsed.data.to ?? now();
        const from = to - parsed.data.window;
        const data = await store.aggregate({ from, to, groupBy: parsed.data.group_by });
        return { from, to, groupBy: parsed.data.group_by, data };
      });

      scope.get('/feedback/summary', async function getFeedbackSummary(request, reply) {
        const parsed = feedbackSummaryQuerySchema.safeParse(request.query);
        if (!parsed.success) return sendAdminError(reply, 400, 'invalid_request', describeIssue(parsed.error));
        const to = parsed.data.to ?? now();
        const from = to - parsed.data.window;
        return { from, to, data: await store.feedbackSummary({ from, to }) };
      });
    },
    { prefix: '/admin' },
  );
}
