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
import { createRuntime } from './gateway.js';
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

/** An embedded gateway: `chat()` and `stream()` take OpenAI Chat Completions bodies. */
export interface Gateway {
  readonly config: GatewayConfig;
  chat(body: Record<string, unknown>, options?: { signal?: AbortSignal }): Promise<ChatResult>;
  stream(body: Record<string, unknown>, options?: { signal?: AbortSignal }): AsyncIterable<StreamEvent>;
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
  const service = createRuntimeService(runtime);
  let counter = 0;
  const run = (body: Record<string, unknown>, stream: boolean, cancel: CancelSource): Promise<CompletionExecution> => {
    const request = openAIChatDialect.parseRequest({ ...body, stream }, { headers: {}, params: {} });
    return service.snapshot().complete(request, { requestId: `lib-${++counter}`, signal: cancel });
  };
  return {
    config: snapshots.current.config,
    async chat(body, callOptions = {}) {
      const cancel = CancelSource.following(callOptions.signal);
      try {
        const execution = await run(body, false, cancel);
        const collector = new ResponseCollector();
        for await (const event of execution.events) collector.push(event);
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
        const execution = await run(body, true, cancel);
        yield* execution.events;
      } finally {
        cancel.unfollow();
      }
    },
    close: () => runtime.pools.close(),
  };
}
