import type { Dispatcher, FormData } from 'undici';
import { GatewayError, type HeaderMap, type SecretScrubber, type Target } from '../../core/index.js';
import { locateUpstream } from '../locate-upstream.js';
import { transportError } from '../undici-errors.js';
import type { UpstreamPools } from '../upstream-pools.js';

/** One call to a provider's batch API. */
export interface BatchCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Appended to the provider's base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string | FormData;
}

/** How the provider's live adapter reads an error response. */
export type ReadUpstreamError = (status: number, headers: HeaderMap, body: unknown, target: Target) => GatewayError;

// Batch calls are small control requests, except a results download, which may be large but keeps flowing.
const HEADERS_TIMEOUT_MS = 60_000;
const BODY_TIMEOUT_MS = 120_000;

const NOT_ABORTED = { aborted: false, reason: undefined } as const;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Sends batch API calls over the engine's upstream pools; errors are mapped by the provider's adapter and scrubbed. */
export class BatchHttp {
  constructor(
    private readonly pools: UpstreamPools,
    private readonly secrets: SecretScrubber,
  ) {}

  /** The response body as text; a status of 400 or more throws the adapter's reading of it. */
  async text(call: BatchCall, target: Target, signal: AbortSignal | undefined, readError: ReadUpstreamError): Promise<string> {
    const { origin, path } = locateUpstream(target.provider.baseUrl, call.path);
    const options: Dispatcher.RequestOptions = {
      origin,
      path,
      method: call.method,
      headers: call.headers,
      body: call.body ?? null,
      signal,
      headersTimeout: HEADERS_TIMEOUT_MS,
      bodyTimeout: BODY_TIMEOUT_MS,
    };
    try {
      const response = await this.pools.get(origin).request(options);
      const text = await response.body.text();
      if (response.statusCode >= 400) throw readError(response.statusCode, response.headers, parseBody(text), target);
      return text;
    } catch (error) {
      const mapped = transportError(error, target.provider.id, signal ?? NOT_ABORTED);
      mapped.message = this.secrets.scrub(mapped.message);
      throw mapped;
    }
  }

  /** The response body parsed as JSON (an upstream that answers something else is a malformed response). */
  async json(call: BatchCall, target: Target, signal: AbortSignal | undefined, readError: ReadUpstreamError): Promise<unknown> {
    const text = await this.text(call, target, signal, readError);
    const body = parseBody(text);
    if (typeof body !== 'object' || body === null) {
      throw new GatewayError('upstream_malformed_response', `${target.provider.id} answered a batch call with a body that is not JSON`, { provider: target.provider.id });
    }
    return body;
  }
}
