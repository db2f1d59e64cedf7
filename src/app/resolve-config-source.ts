import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_STORAGE_URL } from '../config/gateway-config.js';
import { defaultConfig, loadConfigFile, type Env, type LoadResult } from '../config/load-config.js';

const DEFAULT_FILES = ['switchyard.yaml', 'switchyard.yml', 'switchyard.json'];

/** Finds the config: --config, then SWITCHYARD_CONFIG, then switchyard.yaml in the working directory. */
export function findConfigPath(explicit: string | undefined, env: Env, cwd: string): string | undefined {
  const given = explicit ?? env.SWITCHYARD_CONFIG;
  if (given) return resolve(cwd, given);
  return DEFAULT_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/** Loads the config from the file found, or the built-in default; applies PORT/HOST/LOG_LEVEL/admin key overrides. */
export async function loadEffectiveConfig(explicit: string | undefined, env: Env, cwd: string): Promise<LoadResult> {
  const path = findConfigPath(explicit, env, cwd);
  const result: LoadResult = path ? await loadConfigFile(path, env) : { config: defaultConfig(env), issues: [], notes: [] };
  const config = result.config;
  if (config) {
    if (env.PORT) config.server.port = Number(env.PORT);
    if (env.HOST) config.server.host = env.HOST;
    if (env.LOG_LEVEL) config.logLevel = env.LOG_LEVEL;
    if (env.SWITCHYARD_ADMIN_KEY && !config.server.adminKey) config.server.adminKey = env.SWITCHYARD_ADMIN_KEY;
    const defaultStorage = config.storage.url === DEFAULT_STORAGE_URL;
    if (env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL) && defaultStorage) config.storage.url = env.DATABASE_URL;
  }
  return result;
}
