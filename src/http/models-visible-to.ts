import { modelAllowed } from '../limits/model-glob.js';
import type { ResolvedKey } from '../ports/virtual-key.js';

/** The model names a client may call: all of them without a key, else those its key's model globs allow. */
export function modelsVisibleTo(caller: ResolvedKey | undefined, models: readonly string[]): readonly string[] {
  if (caller?.models === undefined) return models;
  return models.filter((model) => modelAllowed(caller.models, model));
}
