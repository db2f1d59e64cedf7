import { ResponseCollector } from '../../core/index.js';
import type { CanonicalResponse, Target } from '../../core/index.js';
import { GeminiStreamDecoder } from './gemini-stream-decoder.js';

/**
 * Translates a non-streaming generateContent body by folding it through the stream decoder, so tool-call ids,
 * finish mapping and errors are identical in both modes. Throws the GatewayError the body stands for.
 */
export function convertGeminiResponse(body: unknown, target: Target): CanonicalResponse {
  const decoder = new GeminiStreamDecoder(target);
  const collector = new ResponseCollector();
  for (const event of decoder.pushPayload(body)) collector.push(event);
  for (const event of decoder.end()) collector.push(event);
  return collector.result();
}
