import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_STATE_URL, DEFAULT_STORAGE_URL } from '../config/gateway-config.js';
import type { ConfigIssue } from '../config/format-issues.js';
import { defaultConfig, loadConfigFile, type Env, type LoadResult } from '../config/load-config.js';

/** The config file names looked for in the working directory, in order. */
export const DEFAULT_CONFIG_FILES = ['switchyard.yaml', 'switchyard.yml', 'switchyard.json'];

/** Finds the config: --config, then SWITCHYARD_CONFIG, then switchyard.yaml in the working directory. */
function findConfigPath(explicit: string | undefined, env: Env, cwd: string): string | undefined {
  const given = explicit ?? env.SWITCHYARD_CONFIG;
  if (given) return resolve(cwd, given);
  return DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Problems with the environment variables that override the config, each under the variable's name. */
function overrideIssues(env: Env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const port = Number(env.PORT);
  if (env.PORT && !(Number.isInteger(port) && port >= 0 && port <= 65535)) issues.push({ path: 'PORT', message: `not a port number: "${env.PORT}"` });
  if (env.LOG_LEVEL && !LOG_LEVELS.includes(env.LOG_LEVEL)) issues.push({ path: 'LOG_LEVEL', message: `use one of ${LOG_LEVELS.join(', ')}` });
  return issues;
}

/** Loads the config from the file found, or the built-in default; applies PORT/HOST/LOG_LEVEL/admin key, DATABASE_URL and REDIS_URL overrides. */
export async function loadEffectiveConfig(explicit: string | undefined, env: Env, cwd: string): Promise<LoadResult> {
  const path = findConfigPath(explicit, env, cwd);
  const loaded: LoadResult = path ? await loadConfigFile(path, env) : { config: defaultConfig(env), issues: [], notes: [] };
  const envIssues = overrideIssues(env);
  const result: LoadResult = envIssues.length === 0 ? loaded : { issues: [...loaded.issues, ...envIssues], notes: loaded.notes };
  const config = result.config;
  if (config) {
    if (env.PORT) config.server.port = Number(env.PORT);
    if (env.HOST) config.server.host = env.HOST;
    if (env.LOG_LEVEL) config.logLevel = env.LOG_LEVEL;
    if (env.SWITCHYARD_ADMIN_KEY && !config.server.adminKey) config.server.adminKey = env.SWITCHYARD_ADMIN_KEY;
    const defaultStorage = config.storage.url === DEFAULT_STORAGE_URL;
    if (env.DATABASE_URL && /^postgres(ql)?:\/\//.test(env.DATABASE_URL) && defaultStorage) config.storage.url = env.DATABASE_URL;
    if (env.REDIS_URL && /^rediss?:\/\//.test(env.REDIS_URL) && config.state.url === DEFAULT_STATE_URL) config.state.url = env.REDIS_URL;
  }
  return result;
}
