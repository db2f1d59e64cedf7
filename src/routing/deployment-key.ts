import type { Target } from '../core/index.js';

/** Bound on remembered keys: direct `provider/model` routes let clients choose model names, so names are unbounded. */
const MAX_REMEMBERED_KEYS = 4096;

/** Keys already built, by provider id then upstream model (strings from the config, whose hashes V8 keeps). */
const rememberedKeys = new Map<string, Map<string, string>>();
let rememberedCount = 0;

/**
 * The name statistics, breakers and sticky sessions use for a deployment: `provider id/upstream model`. Remembered
 * per name pair: a request asks for its deployments' keys several times (ranking, in-flight count, lane, stickiness),
 * and each new string would be allocated and hashed again at every map lookup it is used for.
 */
export function deploymentKey(target: Pick<Target, 'model'> & { provider: { id: string } }): string {
  return deploymentKeyOf(target.provider.id, target.model);
}

/** `deploymentKey` from the two names (a request record's attempt carries them as strings). */
export function deploymentKeyOf(id: string, model: string): string {
  let byModel = rememberedKeys.get(id);
  const known = byModel?.get(model);
  if (known !== undefined) return known;
  const key = `${id}/${model}`;
  if (rememberedCount >= MAX_REMEMBERED_KEYS) {
    rememberedKeys.clear();
    rememberedCount = 0;
    byModel = undefined;
  }
  if (byModel === undefined) {
    byModel = new Map();
    rememberedKeys.set(id, byModel);
  }
  byModel.set(model, key);
  rememberedCount += 1;
  return key;
}

/** Splits a deployment key back into its provider id and upstream model (models may contain slashes). */
export function splitDeploymentKey(key: string): { provider: string; model: string } {
  const slash = key.indexOf('/');
  return { provider: key.slice(0, slash), model: key.slice(slash + 1) };
}
