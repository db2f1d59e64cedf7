import type { Target } from '../core/index.js';

/** The name statistics, breakers and sticky sessions use for a deployment: `provider id/upstream model`. */
export function deploymentKey(target: Pick<Target, 'model'> & { provider: { id: string } }): string {
  return `${target.provider.id}/${target.model}`;
}

/** Splits a deployment key back into its provider id and upstream model (models may contain slashes). */
export function splitDeploymentKey(key: string): { provider: string; model: string } {
  const slash = key.indexOf('/');
  return { provider: key.slice(0, slash), model: key.slice(slash + 1) };
}
