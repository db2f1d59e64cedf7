import { Writable } from 'node:stream';
import { parseConfigText } from '../../src/config/load-config.js';
import { createLogger } from '../../src/app/logger.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/app/start-server.js';
import { configuredSecrets } from '../../src/app/gateway.js';
import { SecretScrubber } from '../../src/core/index.js';
import type { RequestLogRecord, RequestLogSink } from '../../src/ports/request-log.js';
import { captureClientCredentials, captureLogChunk } from './captured-logs.js';

/** Collects request records in memory so tests can assert that every request was recorded. */
export class MemoryRequestLog implements RequestLogSink {
  readonly records: RequestLogRecord[] = [];
  record(entry: RequestLogRecord): void {
    this.records.push(entry);
  }
  async flush(): Promise<void> {}
}

export interface TestGateway extends RunningServer {
  requestLog: MemoryRequestLog;
  /** Every log line the gateway wrote, for secret scans. */
  logLines: string[];
}

export interface TestGatewayOptions {
  warm?: boolean;
  persist?: boolean;
  /** Environment for the server's own settings (OpenTelemetry); default process.env. */
  serverEnv?: Record<string, string | undefined>;
  /** The timer that drives the routing history; default an interval. */
  every?: StartOptions['every'];
}

/**
 * Starts a gateway on a free port from YAML config text; records go to memory unless `persist` uses the configured
 * store. Log lines and the credentials clients send are also captured for the suite-wide secret scan.
 */
export async function startTestGateway(
  yaml: string,
  env: Record<string, string | undefined> = {},
  options: TestGatewayOptions = {},
): Promise<TestGateway> {
  const result = parseConfigText(yaml, 'test.yaml', env);
  if (!result.config) throw new Error(`bad test config: ${JSON.stringify(result.issues)}`);
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = chunk.toString('utf8');
      logLines.push(text);
      captureLogChunk(text);
      callback();
    },
  });
  const requestLog = new MemoryRequestLog();
  const secrets = new SecretScrubber(configuredSecrets(result.config));
  const server = await startServer(result.config, {
    host: '127.0.0.1',
    port: 0,
    logger: createLogger('info', sink, secrets),
    secrets,
    warm: options.warm ?? false,
    ...(options.persist ? {} : { requestLog }),
    ...(options.serverEnv ? { env: options.serverEnv } : {}),
    ...(options.every ? { every: options.every } : {}),
  });
  server.app.server.prependListener('request', captureClientCredentials);
  return Object.assign(server, { requestLog, logLines });
}

/** Waits until `predicate` holds, polling; for effects that land just after a response ends (log records). */
export async function eventually(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
