import { pino } from 'pino';
import {
  CancelSource,
  GatewayError,
  ResponseCollector,
  joinText,
  type AttemptRecord,
  type CanonicalResponse,
  type StreamEvent,
} from '../core/index.js';
import { configSchema, type ConfigFile } from '../config/config-schema.js';
import { toConfigIssues } from '../config/format-issues.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { defaultConfig, resolveConfig, type Env } from '../config/load-config.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';
import type { CompletionExecution } from '../ports/gateway-service.js';
import type { RequestLogSink } from '../ports/request-log.js';
import type { KeyAdministration, ResolvedKey } from '../ports/virtual-key.js';
import { createRuntime } from './gateway.js';
import { startGovernance } from './governance.js';
import { SnapshotCell } from './gateway-snapshot.js';
import { createRuntimeService } from './runtime-service.js';

/** The outcome of a non-streaming call. */
export interface ChatResult {
  response: CanonicalResponse;
  /** The response's text parts joined. */
  text: string;
  provider: string;
  model: string;
  attempts: AttemptRecord[];
}

export interface GatewayOptions {
  /** Where request records go; defaults to discarding them. */
  requestLog?: RequestLogSink;
  env?: Env;
}

/** Per call: cancellation, and the virtual key the call is made with (its models, limits and budgets apply). */
export interface CallOptions {
  signal?: AbortSignal;
  /** A virtual key secret (`sk-sy-…`); required when the config sets `auth.require_keys`. */
  key?: string;
}

/** An embedded gateway: `chat()` and `stream()` take OpenAI Chat Completions bodies. */
export interface Gateway {
  readonly config: GatewayConfig;
  chat(body: Record<string, unknown>, options?: CallOptions): Promise<ChatResult>;
  stream(body: Record<string, unknown>, options?: CallOptions): AsyncIterable<StreamEvent>;
  /** Virtual key administration, when the config sets `auth.require_keys` (keys live in `storage.url`); else undefined. */
  keys(): Promise<KeyAdministration | undefined>;
  close(): Promise<void>;
}

const discard: RequestLogSink = { record: () => undefined, flush: async () => undefined };

function toConfig(input: ConfigFile | GatewayConfig | undefined, env: Env): GatewayConfig {
  if (input === undefined) return defaultConfig(env);
  if ('source' in input && input.providers instanceof Map) return input as GatewayConfig;
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const issues = toConfigIssues(parsed.error).map((i) => `${i.path}: ${i.message}`);
    throw new GatewayError('invalid_request', `invalid config: ${issues.join('; ')}`);
  }
  const resolved = resolveConfig(parsed.data, 'library');
  if (!resolved.config) throw new GatewayError('invalid_request', `invalid config: ${resolved.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return resolved.config;
}

/** Creates an embedded gateway from a config object (the YAML file's shape) or the built-in default. */
export function createGateway(config?: ConfigFile | GatewayConfig, options: GatewayOptions = {}): Gateway {
  const snapshots = new SnapshotCell(toConfig(config, options.env ?? process.env));
  const runtime = createRuntime(snapshots, {
    logger: pino({ level: 'silent' }),
    requestLog: options.requestLog ?? discard,
  });
  // Limits, budgets, data policy and secret references apply as in the server; the key store opens only when keys
  // are required, so an embedded gateway never creates a database file it was not asked for.
  const resolved = snapshots.current.config;
  const governed = startGovernance({
    config: () => snapshots.current.config,
    lookup: () => snapshots.current.lookupModel,
    logger: runtime.logger,
    openStore: resolved.auth.requireKeys,
    env: options.env ?? process.env,
  }).then((governance) => {
    runtime.governance = governance;
    return governance;
  });
  // A failure to start is reported by every call (and by close), never as an unhandled rejection.
  governed.catch(() => undefined);
  const service = createRuntimeService(runtime);
  let counter = 0;
  const callerOf = async (key: string | undefined): Promise<ResolvedKey | undefined> => {
    const governance = await governed;
    return governance.gate.authenticate(key === undefined ? {} : { authorization: `Bearer ${key}` }, '/v1/chat/completions');
  };
  const run = async (body: Record<string, unknown>, stream: boolean, cancel: CancelSource, key: string | undefined): Promise<CompletionExecution> => {
    const caller = await callerOf(key);
    const request = openAIChatDialect.parseRequest({ ...body, stream }, { headers: {}, params: {} });
    return service.snapshot().complete(request, { requestId: `lib-${++counter}`, signal: cancel, ...(caller ? { caller } : {}) });
  };
  /** Runs a call to its end and settles its limits and budget with the usage it reported. */
  const settled = async function* (execution: CompletionExecution): AsyncIterable<StreamEvent> {
    let usage;
    let finished = false;
    try {
      for await (const event of execution.events) {
        if (event.type === 'usage') usage = event.usage;
        else if (event.type === 'finish') finished = true;
        yield event;
      }
    } finally {
      // A call left before its finish settles without usage, so its reserved estimate stands (as over HTTP).
      if (finished) execution.settle?.(usage, execution.costOf(usage));
      else execution.settle?.(undefined, undefined);
    }
  };
  return {
    config: resolved,
    async chat(body, callOptions = {}) {
      const cancel = CancelSource.following(callOptions.signal);
      try {
        const execution = await run(body, false, cancel, callOptions.key);
        const collector = new ResponseCollector();
        for await (const event of settled(execution)) collector.push(event);
        const response = collector.result();
        return {
          response,
          text: joinText(response.content),
          provider: execution.target.provider.id,
          model: execution.target.model,
          attempts: execution.attempts,
        };
      } finally {
        cancel.unfollow();
      }
    },
    async *stream(body, callOptions = {}) {
      const cancel = CancelSource.following(callOptions.signal);
      try {
        const execution = await run(body, true, cancel, callOptions.key);
        yield* settled(execution);
      } finally {
        cancel.unfollow();
      }
    },
    keys: async () => (await governed).keys,
    async close() {
      await runtime.pools.close();
      await (await governed.catch(() => undefined))?.close();
    },
  };
}
