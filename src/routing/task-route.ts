import { GatewayError, TASK_CLASSES, boundText, isTaskClass, type CanonicalRequest, type TaskClass } from '../core/index.js';
import type { GatewayConfig, ModelRoute } from '../config/gateway-config.js';
import { classifyTask } from './classify-task.js';

/**
 * The request's task class: the one the client named (`x-switchyard-task` or `metadata.task`), else the built-in
 * classifier's label when `tasks.classifier: heuristic`, else none. A named class outside the known six is a 400.
 */
export function resolveTaskClass(request: CanonicalRequest, named: string | undefined, config: Pick<GatewayConfig, 'tasks'>): TaskClass | undefined {
  if (named !== undefined) {
    if (isTaskClass(named)) return named;
    throw new GatewayError('invalid_request', `Unknown task class \`${boundText(named, 64)}\`; use one of ${TASK_CLASSES.join(', ')}`, {
      param: 'metadata.task',
    });
  }
  return config.tasks.classifier === 'heuristic' ? classifyTask(request) : undefined;
}

/** The route a task class sends a request to: another alias, this route under another strategy, or this route. */
export function routeForTask(route: ModelRoute, taskClass: TaskClass | undefined, config: Pick<GatewayConfig, 'models'>): { route: ModelRoute; note?: string } {
  const rule = taskClass === undefined ? undefined : route.tasks?.[taskClass];
  if (!rule) return { route };
  if ('strategy' in rule) return { route: { ...route, strategy: rule.strategy }, note: `task ${taskClass}: strategy ${rule.strategy}` };
  const delegate = config.models.get(rule.model);
  return delegate ? { route: delegate, note: `task ${taskClass}: alias ${rule.model}` } : { route };
}
