import { pino, type Logger } from 'pino';

/** Paths redacted from every log line so provider keys and client credentials never reach logs. */
const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  '*.api_key',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-goog-api-key"]',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.headers["x-goog-api-key"]',
];

/** The process logger: JSON lines on stdout, keys redacted. */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'switchyard' } };
  return destination ? pino(options, destination) : pino(options);
}
