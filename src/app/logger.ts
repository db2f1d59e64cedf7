import { pino, type Logger } from 'pino';
import type { SecretScrubber } from '../core/index.js';

/** Paths redacted from every log line so provider keys and client credentials never reach logs. */
const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  '*.api_key',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  'headers.cookie',
  '*.headers.cookie',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
];

/**
 * The process logger: JSON lines on stdout, keys redacted by path and, given `secrets`, every configured secret
 * scrubbed from the finished line whatever field or message carries it.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream, secrets?: SecretScrubber): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: 'switchyard' },
    ...(secrets ? { hooks: { streamWrite: (line: string) => secrets.scrub(line) } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
