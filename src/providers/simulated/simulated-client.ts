import { GatewayError, seededRandom, type CanonicalRequest, type EmbeddingRequest, type EmbeddingResponse, type Clock, type Random, type StreamEvent } from '../../core/index.js';
import type { SimulatedModelConfig, SimulatedOptions } from '../../core/index.js';
import { upstreamError } from '../shared/classify-upstream-status.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import type { Target } from '../../core/index.js';
import { BUILT_IN_SIMULATED_MODELS, estimatePromptTokens, simulateOutput } from './simulated-behaviors.js';

function optionsOf(target: Target): SimulatedOptions {
  return target.provider.type === 'simulated' ? target.provider.options : {};
}

function modelConfig(target: Target): SimulatedModelConfig {
  const options = optionsOf(target);
  return options.models?.[target.model] ?? BUILT_IN_SIMULATED_MODELS[target.model] ?? { behavior: 'echo' };
}

function abortError(): GatewayError {
  return new GatewayError('client_closed', 'request aborted');
}

/** Waits like a model would, counting the time as upstream wait so the overhead metric excludes it. */
async function wait(ms: number, context: AttemptContext, clock: Clock): Promise<void> {
  const { signal } = context;
  if (ms <= 0) {
    if (signal.aborted) throw abortError();
    return;
  }
  const started = clock.now();
  const slept = await signal.sleep(ms);
  if (context.wait) context.wait.ms += clock.now() - started;
  if (!slept) throw abortError();
}

/**
 * The in-process simulated provider: deterministic output, configurable time to first token, token rate, usage and
 * faults (HTTP-like errors, 429 with retry-after, stalls, errors after the stream started). It needs no keys and no
 * network, serves the built-in default config, and is the chaos tool for failover tests.
 */
export class SimulatedClient implements ProviderClient {
  private readonly randoms = new Map<string, Random>();
  private responseCounter = 0;

  constructor(private readonly clock: Clock) {}

  async *stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
    const options = optionsOf(target);
    const model = modelConfig(target);
    const fault = model.fault;
    if (fault && this.faultFires(target, fault.rate ?? 1)) {
      if (fault.kind === 'error') {
        const status = fault.status ?? 500;
        const message = `${target.provider.id} returned HTTP ${status}: simulated error`;
        throw upstreamError(status, {}, {}, { provider: target.provider.id, message, upstreamStatus: status });
      }
      if (fault.kind === 'rate-limit') {
        throw new GatewayError('upstream_rate_limited', `${target.provider.id} returned HTTP 429: simulated rate limit`, {
          provider: target.provider.id,
          upstreamStatus: 429,
          retryAfterMs: (fault.retry_after_s ?? 1) * 1000,
        });
      }
    }
    // No transport in between: the simulated response starts at once, so a slow first token is a first-token timeout.
    context.responded?.();
    const output = simulateOutput(request, model);
    const limit = request.maxOutputTokens;
    const cut = limit !== undefined && output.pieces.length > limit;
    const pieces = cut ? output.pieces.slice(0, limit) : output.pieces;
    const ttft = model.ttft_ms ?? options.ttft_ms ?? 0;
    const rate = model.tokens_per_second ?? options.tokens_per_second ?? 0;
    const interval = request.stream && rate > 0 ? 1000 / rate : 0;
    const id = `sim-${++this.responseCounter}`;
    await wait(ttft, context, this.clock);
    // It never forwards a client's body, so whatever translating that body lost is reported.
    for (const warning of request.translationWarnings ?? []) yield { type: 'warning', warning };
    yield { type: 'response-start', id, model: target.model };
    const stallAt = fault && (fault.kind === 'stall' || fault.kind === 'error-after-start') ? (fault.after_tokens ?? 0) : -1;
    let emitted = 0;
    if (pieces.length > 0) {
      yield { type: 'text-start', blockId: 't0' };
      for (const piece of pieces) {
        if (emitted === stallAt) {
          if (fault?.kind === 'stall') await wait(2_147_483_647, context, this.clock);
          yield this.midStreamFault(target);
          return;
        }
        if (emitted > 0) await wait(interval, context, this.clock);
        yield { type: 'text-delta', blockId: 't0', text: piece };
        emitted++;
      }
      yield { type: 'text-end', blockId: 't0' };
    }
    for (const [i, call] of output.toolCalls.entries()) {
      const blockId = `c${i}`;
      yield { type: 'tool-input-start', blockId, toolIndex: i, callId: `call_sim_${this.responseCounter}_${i}`, name: call.name };
      yield { type: 'tool-input-delta', blockId, argumentsDelta: call.arguments };
      yield { type: 'tool-input-end', blockId };
      emitted++;
    }
    const outputTokens = model.usage?.output ?? Math.max(emitted, pieces.length);
    yield { type: 'usage', usage: { inputTokens: model.usage?.input ?? estimatePromptTokens(request), outputTokens } };
    yield {
      type: 'finish',
      reason: output.toolCalls.length > 0 ? { unified: 'tool-calls', raw: 'tool_calls' } : cut ? { unified: 'length', raw: 'length' } : { unified: 'stop', raw: 'stop' },
    };
  }

  /** Embeddings: a deterministic unit vector per input, derived from its characters. */
  async embed(request: EmbeddingRequest): Promise<EmbeddingResponse> {
    const dimensions = request.dimensions ?? 8;
    const embeddings = request.input.map((text) => {
      const vector = Array.from({ length: dimensions }, (_, i) => {
        let h = i + 1;
        for (let c = 0; c < text.length; c++) h = (h * 31 + text.charCodeAt(c)) % 1000003;
        return (h % 2000) / 1000 - 1;
      });
      const norm = Math.hypot(...vector) || 1;
      return vector.map((v) => v / norm);
    });
    const inputTokens = request.input.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0);
    return { model: request.model, embeddings, inputTokens };
  }

  private midStreamFault(target: Target): StreamEvent {
    return {
      type: 'error',
      error: new GatewayError('upstream_overloaded', `${target.provider.id} reported an error mid-stream: simulated overload`, { provider: target.provider.id }),
    };
  }

  private faultFires(target: Target, rate: number): boolean {
    if (rate >= 1) return true;
    const key = `${target.provider.id}/${target.model}`;
    let random = this.randoms.get(key);
    if (!random) {
      random = seededRandom(optionsOf(target).seed ?? 1);
      this.randoms.set(key, random);
    }
    return random.next() < rate;
  }
}
