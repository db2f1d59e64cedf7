import { DEFAULT_BANDIT, type GatewayConfig } from '../config/gateway-config.js';
import { isTaskClass } from '../core/index.js';
import type { BanditStatistics } from '../ports/bandit-statistics.js';
import type { FeedbackEntry } from '../ports/request-log-store.js';
import { armKey } from '../routing/bandit-evidence.js';
import { NO_TASK_CLASS } from '../routing/order-targets.js';
import { findRoute } from '../routing/resolve-route.js';
import { routeForTask } from '../routing/task-route.js';
import type { RecentRequest } from './recent-requests.js';

/**
 * Feeds a score to the bandit that routed the request: only for a served request whose route (after its task class
 * picked one) runs the bandit, on the bandit's metric, for a target still in that route, and not while frozen.
 */
export async function learnFromFeedback(bandit: BanditStatistics, config: GatewayConfig, request: RecentRequest, entry: FeedbackEntry): Promise<void> {
  if (request.status >= 400 || !request.requestedModel || !request.provider || !request.model) return;
  const named = findRoute(request.requestedModel, config);
  if (!named) return;
  const taskClass = request.taskClass !== undefined && isTaskClass(request.taskClass) ? request.taskClass : undefined;
  const { route } = routeForTask(named, taskClass, config);
  const settings = route.bandit ?? DEFAULT_BANDIT;
  if (route.strategy !== 'bandit' || settings.frozen || entry.metric !== settings.metric) return;
  const arm = armKey({ providerId: request.provider, model: request.model });
  if (!route.targets.some((target) => armKey(target) === arm)) return;
  await bandit.observe(route.name, taskClass ?? NO_TASK_CLASS, arm, {
    score: entry.score,
    ...(request.costUsd === undefined ? {} : { costUsd: request.costUsd }),
    latencyMs: request.latencyMs,
  }, settings.halfLife);
}
