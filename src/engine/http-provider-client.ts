import type { Dispatcher } from 'undici';
import {
  GatewayError,
  eventBatches,
  responseToEvents,
  type CanonicalRequest,
  type EventBatches,
  type Clock,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type StreamEvent,
} from '../core/index.js';
import type { ProviderAdapter, UpstreamRequest } from '../providers/provider-adapter.js';
import type { Target } from '../core/index.js';
import type { AttemptContext, ProviderClient } from '../ports/provider-client.js';
import { isReusedConnectionReset } from './connection-reuse.js';
import { locateUpstream } from './locate-upstream.js';
import { ListedBatches, OpeningBatches, SseBatches } from './upstream-batches.js';
import { transportError } from './undici-errors.js';
import { requestStreamed, type StreamedResponse } from './streamed-response.js';
import { requestWhole, type WholeResponse } from './whole-response.js';
import type { UpstreamPools } from './upstream-pools.js';

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The request without a pass-through body that may go upstream only when its answer is forwarded too. */
function withoutAnswerBoundBody(request: CanonicalRequest): CanonicalRequest {
  if (request.passthrough?.onlyWithForwardedAnswer !== true) return request;
  const { passthrough: _bound, ...translated } = request;
  return translated;
}

/** Runs a pure ProviderAdapter over HTTP: undici pools for transport, eventsource-parser for SSE. */
export class HttpProviderClient implements ProviderClient {
  constructor(
    private readonly adapter: ProviderAdapter,
    private readonly pools: UpstreamPools,
    private readonly clock: Clock,
  ) {}

  /** The events of one upstream chunk arrive as one batch (see EventBatches). */
  stream(request: CanonicalRequest, target: Target, context: AttemptContext): EventBatches {
    return eventBatches(() => new OpeningBatches(() => this.open(request, target, context)));
  }

  /** Sends the request and returns its answer's batches: translation warnings first, then the body's events. */
  private async open(request: CanonicalRequest, target: Target, context: AttemptContext): Promise<AsyncIterator<readonly StreamEvent[]>> {
    const forwarder = context.forwardAnswer === true ? this.adapter.forwarderFor?.(request, target, context.requestId) : undefined;
    const upstream = this.adapter.toUpstream(forwarder === undefined ? withoutAnswerBoundBody(request) : request, target);
    const lost = upstream.forwarded === true ? undefined : request.translationWarnings;
    const warnings = (lost === undefined ? upstream.warnings : [...lost, ...upstream.warnings]).map((warning): StreamEvent => ({ type: 'warning', warning }));
    if (!request.stream) {
      const whole = await this.sendWhole(upstream, target, context);
      const body = parseBody(whole.text);
      if (typeof body !== 'object' || body === null) {
        throw new GatewayError('upstream_malformed_response', `${target.provider.id} returned a body that is not JSON`, {
          provider: target.provider.id,
          upstreamStatus: whole.statusCode,
        });
      }
      return new ListedBatches([warnings, forwarder?.forwardBody(whole.text, body) ?? responseToEvents(this.adapter.fromUpstream(body, target))]);
    }
    const response = await this.send(upstream, target, context);
    const contentType = String(response.headers['content-type'] ?? '');
    if (!contentType.includes('text/event-stream')) {
      const failure = new GatewayError('upstream_malformed_response', `${target.provider.id} answered a stream request with ${contentType || 'no content type'}`, {
        provider: target.provider.id,
        upstreamStatus: response.statusCode,
      });
      response.body.discard(failure);
      throw failure;
    }
    const decoder = forwarder?.createStreamDecoder() ?? this.adapter.createStreamDecoder(target);
    const events = new SseBatches(response.body, decoder, {
      clock: this.clock,
      waited: (ms) => {
        if (context.wait) context.wait.ms += ms;
      },
      failure: (error) => transportError(error, target.provider.id, context.signal),
    });
    return warnings.length === 0 ? events : new ListedBatches([warnings], events);
  }

  async embed(request: EmbeddingRequest, target: Target, context: AttemptContext): Promise<EmbeddingResponse> {
    if (!this.adapter.toEmbeddingsUpstream || !this.adapter.fromEmbeddingsUpstream) {
      throw new GatewayError('invalid_request', `provider type ${target.provider.type} does not offer embeddings`, { param: 'model' });
    }
    const whole = await this.sendWhole(this.adapter.toEmbeddingsUpstream(request, target), target, context);
    return this.adapter.fromEmbeddingsUpstream(parseBody(whole.text), target);
  }

  /** Sends a request whose answer is read as a stream (the upstream's events), through a dispatch handler (`requestStreamed`). */
  private async send(upstream: UpstreamRequest, target: Target, context: AttemptContext): Promise<StreamedResponse> {
    const { origin, path } = locateUpstream(target.provider.baseUrl, upstream.path);
    const options: Dispatcher.DispatchOptions = { origin, path, method: 'POST', headers: upstream.headers, body: upstream.body };
    const response = await this.withReconnect(origin, target, context, (pool) => requestStreamed(pool, options, context.signal, context.responded));
    if (response.statusCode >= 400) {
      const body = parseBody(await this.readText(response, target, context));
      throw this.adapter.toGatewayError(response.statusCode, response.headers, body, target);
    }
    return response;
  }

  /** Sends a request whose answer is wanted whole (JSON, embeddings), read without a body stream (`requestWhole`). */
  private async sendWhole(upstream: UpstreamRequest, target: Target, context: AttemptContext): Promise<WholeResponse> {
    const { origin, path } = locateUpstream(target.provider.baseUrl, upstream.path);
    const options: Dispatcher.DispatchOptions = { origin, path, method: 'POST', headers: upstream.headers, body: upstream.body };
    const whole = await this.withReconnect(origin, target, context, (pool) => requestWhole(pool, options, context.signal, context.responded));
    if (whole.statusCode >= 400) throw this.adapter.toGatewayError(whole.statusCode, whole.headers, parseBody(whole.text), target);
    return whole;
  }

  /**
   * Runs `call` on the origin's pool, counting the time as waiting on the upstream. A reused keep-alive socket the
   * server dropped as the request went out is tried once more on another connection; any other failure, a fresh
   * connection's included, is the engine's to retry, so every POST is on the record.
   */
  private async withReconnect<T>(origin: string, target: Target, context: AttemptContext, call: (pool: Dispatcher) => Promise<T>): Promise<T> {
    const waitStarted = this.clock.now();
    try {
      return await call(this.pools.get(origin, context.timeouts.connectMs));
    } catch (error) {
      if (context.signal.aborted || !isReusedConnectionReset(error)) throw transportError(error, target.provider.id, context.signal);
      try {
        return await call(this.pools.get(origin, context.timeouts.connectMs));
      } catch (retryError) {
        throw transportError(retryError, target.provider.id, context.signal);
      }
    } finally {
      if (context.wait) context.wait.ms += this.clock.now() - waitStarted;
    }
  }

  private async readText(response: StreamedResponse, target: Target, context: AttemptContext): Promise<string> {
    const waitStarted = this.clock.now();
    try {
      return await response.body.text();
    } catch (error) {
      throw transportError(error, target.provider.id, context.signal);
    } finally {
      if (context.wait) context.wait.ms += this.clock.now() - waitStarted;
    }
  }
}
