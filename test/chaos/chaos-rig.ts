import { createServer } from 'node:net';
import OpenAI from 'openai';
import { seededRandom } from '../../src/core/index.js';
import { DeploymentBreakers } from '../../src/engine/deployment-breakers.js';
import { startFakeUpstream, type FakeFormat, type FakeUpstream } from '../fakes/index.js';
import { manualClock, type ManualClock } from '../support/manual-clock.js';
import type { RequestLogRecord } from '../../src/ports/request-log.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

/** Keys the fakes expect; never echoed to clients or logs. */
const CHAOS_KEYS = { openai: 'sk-chaos-openai-0001', anthropic: 'sk-ant-chaos-0001', gemini: 'AIzaChaosGemini0001' } as const;

/** Small phase deadlines so every fault resolves in well under a second. */
const CHAOS_DEFAULTS = `
defaults:
  retry: { attempts: 2, base_delay_ms: 2, max_delay_ms: 5 }
  timeouts: { connect_ms: 500, first_token_ms: 300, stall_ms: 300, total_ms: 5000 }
  breaker: { failure_threshold: 1000, min_requests: 1000 }
`;

/** The upstream model each fake format is configured with. */
export const UPSTREAM_MODEL: Record<FakeFormat, string> = { openai: 'gpt-4o', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash' };

/** A provider block for a fake (or a dead port) in the gateway's YAML. */
function providerYaml(id: string, format: FakeFormat, url: string): string {
  const baseUrl = format === 'openai' ? `${url}/v1` : url;
  return `  ${id}: { type: ${format}, base_url: "${baseUrl}", api_key: ${CHAOS_KEYS[format]} }\n`;
}

/** A port on 127.0.0.1 that nobody listens on: bound, then closed, so connecting to it is refused. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** A gateway whose randomness (weighted picks, backoff jitter) is seeded, so every run takes the same path. */
function seedGateway(gateway: TestGateway, seed: number): void {
  gateway.runtime.random = seededRandom(seed);
  gateway.runtime.engine.deps.random = seededRandom(seed + 1);
}

/** Replaces the breakers' clock with a manual one, so cooldowns pass without waiting on the wall clock. */
export function manualBreakerClock(gateway: TestGateway): ManualClock {
  const clock = manualClock();
  const breakers = new DeploymentBreakers(gateway.runtime.state, clock);
  gateway.runtime.engine.deps.breakers = breakers;
  gateway.runtime.breakers = breakers;
  return clock;
}

/** A primary and a backup fake upstream behind one gateway, plus an OpenAI SDK client on it. */
export interface ChaosRig {
  gateway: TestGateway;
  primary: FakeUpstream;
  backup: FakeUpstream;
  openai: OpenAI;
  /**
   * The record of the request with this `x-request-id`, once written: a non-streamed answer is recorded just after
   * its last byte is sent, so a client can hold the answer before the record exists.
   */
  recordOf(requestId: string | undefined): Promise<RequestLogRecord | undefined>;
  close(): Promise<void>;
}

export interface RigOptions {
  primary?: FakeFormat;
  backup?: FakeFormat;
  /** YAML for `models:` entries; providers `primary`, `backup` and `dead` (a refused port) are defined. */
  models: string;
  defaults?: string;
  warm?: boolean;
  seed?: number;
}

/** Starts two fakes and a gateway routing to them; closing it stops all three. */
export async function startChaosRig(options: RigOptions): Promise<ChaosRig> {
  const primaryFormat = options.primary ?? 'openai';
  const backupFormat = options.backup ?? 'openai';
  const primary = await startFakeUpstream(primaryFormat);
  const backup = await startFakeUpstream(backupFormat);
  const dead = `http://127.0.0.1:${await deadPort()}`;
  const yaml =
    (options.defaults ?? CHAOS_DEFAULTS) +
    'providers:\n' +
    providerYaml('primary', primaryFormat, primary.url) +
    providerYaml('backup', backupFormat, backup.url) +
    providerYaml('dead', primaryFormat, dead) +
    `models:\n${options.models}`;
  const gateway = await startTestGateway(yaml, {}, { warm: options.warm ?? false });
  seedGateway(gateway, options.seed ?? 42);
  const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'chaos-client', maxRetries: 0, timeout: 8000 });
  return {
    gateway,
    primary,
    backup,
    openai,
    async recordOf(requestId) {
      const find = () => gateway.requestLog.records.find((record) => record.id === requestId);
      await eventually(() => find() !== undefined).catch(() => undefined);
      return find();
    },
    async close() {
      await Promise.all([primary.close(), backup.close()]);
      await gateway.close();
    },
  };
}
