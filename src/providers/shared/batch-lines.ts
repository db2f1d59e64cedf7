import { GatewayError, isRecord, type Target } from '../../core/index.js';
import type { DelegatedLine } from '../../ports/provider-batch-api.js';
import type { ProviderAdapter } from '../provider-adapter.js';
import { upstreamBodyText } from './upstream-body-text.js';

/** One line translated into the provider's own request body. */
export interface TranslatedLine {
  customId: string;
  body: Record<string, unknown>;
}

function upstreamBody(line: DelegatedLine, target: Target, adapter: ProviderAdapter): Record<string, unknown> {
  let text: string | Uint8Array;
  if (line.kind === 'chat') {
    // Batch APIs answer whole responses: the line is built as a non-streaming request.
    text = adapter.toUpstream({ ...line.request, stream: false }, target).body;
  } else {
    if (!adapter.toEmbeddingsUpstream) throw new GatewayError('invalid_request', `provider type ${target.provider.type} has no batch embeddings`, { param: 'url' });
    text = adapter.toEmbeddingsUpstream(line.request, target).body;
  }
  const body: unknown = JSON.parse(upstreamBodyText(text));
  if (!isRecord(body)) throw new GatewayError('internal_error', 'the adapter built a request body that is not an object');
  // A client's own body forwarded as is may still ask to stream; a batch request cannot.
  delete body.stream;
  delete body.stream_options;
  return body;
}

/**
 * Translates every line with the provider's live adapter, so a delegated line says what the same request would say
 * live. The lines of one provider batch must be of one kind and have distinct custom_ids; a line the adapter refuses
 * (an unsupported parameter, say) refuses the batch, so the job can run on the gateway's own lane instead.
 */
export function translateLines(lines: readonly DelegatedLine[], target: Target, adapter: ProviderAdapter): TranslatedLine[] {
  const kind = lines[0]?.kind;
  if (kind === undefined) throw new GatewayError('invalid_request', 'a provider batch needs at least one line');
  const seen = new Set<string>();
  return lines.map((line) => {
    if (line.kind !== kind) throw new GatewayError('invalid_request', 'a provider batch runs one kind of request: chat or embeddings, not both', { param: 'url' });
    if (seen.has(line.customId)) throw new GatewayError('invalid_request', `custom_id ${JSON.stringify(line.customId.slice(0, 64))} appears more than once`, { param: 'custom_id' });
    seen.add(line.customId);
    return { customId: line.customId, body: upstreamBody(line, target, adapter) };
  });
}

/** The non-empty lines of a JSONL file, each parsed; a line that is not JSON is `undefined` (decoders skip it). */
export function parseJsonLines(text: string): unknown[] {
  const lines: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      lines.push(JSON.parse(line) as unknown);
    } catch {
      lines.push(undefined);
    }
  }
  return lines;
}
