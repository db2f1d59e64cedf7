import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/gateway-config.js';
import { buildServer } from '../http/server.js';
import type { RequestLogSink } from '../ports/request-log.js';
import { createRuntime, type GatewayRuntime } from './gateway.js';
import { LogRequestSink } from './log-request-sink.js';
import { createLogger } from './logger.js';

export interface StartOptions {
  host?: string;
  port?: number;
  logger?: Logger;
  requestLog?: RequestLogSink;
}

/** A listening gateway. */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  runtime: GatewayRuntime;
  /** Stops accepting, lets in-flight requests finish, flushes the request log, closes upstream pools. */
  close(): Promise<void>;
}

/** Starts the HTTP server for a config and resolves once it listens. */
export async function startServer(config: GatewayConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const runtime = createRuntime(config, { logger, requestLog: options.requestLog ?? new LogRequestSink(logger) });
  const app = buildServer(runtime);
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    app,
    runtime,
    close(): Promise<void> {
      closing ??= (async () => {
        await app.close();
        await runtime.requestLog.flush();
        await runtime.pools.close();
      })();
      return closing;
    },
  };
}

/** One line per provider for the startup banner: which are live and where their key came from. */
export function describeProviders(config: GatewayConfig): string[] {
  return [...config.providers.values()].map((provider) => {
    const auth = provider.type === 'simulated' ? 'in-process, no key needed' : provider.apiKey ? 'key configured' : 'NO KEY';
    const where = provider.type === 'simulated' ? '' : ` ${provider.baseUrl}`;
    return `  ${provider.id} (${provider.type})${where} — ${auth}`;
  });
}
