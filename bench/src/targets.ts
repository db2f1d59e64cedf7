import { agentBody, codexBody } from './agent-request.js';
import type { BenchChild } from './child-process.js';

/** One of the things a scenario measures against the same fake upstream. */
/** `floor-*` are the floors scenario's minimal gateways; they are sent the direct request and forward it. */
/**
 * `switchyard-governed` is Switchyard with issue 12's keys, limits and a budget and nothing else; `switchyard-keys`
 * is issue 17's realistic production config (switchyard-process.ts `BenchMode`).
 */
export type TargetName = 'direct' | 'proxy' | 'switchyard' | 'switchyard-governed' | 'switchyard-keys' | 'portkey' | 'floor-node' | 'floor-fastify' | 'floor-product';

/** A server a scenario started itself, as a target of its rounds (its process's CPU is read around each round). */
export function childTarget(child: BenchChild, upstreamOrigin: string): Target {
  return { name: child.name as TargetName, origin: child.origin, upstreamOrigin, pid: child.pid, ...(child.apiKey === undefined ? {} : { apiKey: child.apiKey }) };
}

/**
 * What a scenario sends; `agent` is a coding agent's late turn, ~100 KB of JSON (agent-request.ts), `agent-unicode`
 * the same with one line of non-ASCII text in its system prompt, and `codex` Codex CLI's streamed Responses API request
 * of a late turn, also ~100 KB.
 */
export type Workload = 'chat' | 'stream' | 'translate' | 'agent' | 'agent-unicode' | 'codex';

/** One request as the load generator sends it. */
export interface RequestSpec {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A target's origin plus, for Portkey, the upstream it should forward to. */
export interface Target {
  name: TargetName;
  origin: string;
  upstreamOrigin: string;
  /** The virtual key sent to a gateway that requires one. */
  apiKey?: string;
  /** The process serving it, when the harness started one (its CPU time is read around rounds). */
  pid?: number;
}

const MESSAGES = [
  { role: 'system', content: 'You are a concise assistant. Answer in one sentence unless asked for more detail.' },
  { role: 'user', content: 'What is the capital of France, and why has it historically been an important city in Europe?' },
  { role: 'assistant', content: 'Paris; it has long been a centre of politics, trade, culture and learning.' },
  { role: 'user', content: 'Name one famous landmark there and say in a few words what it is known for.' },
];

function openAiBody(model: string, stream: boolean, agent = false, unicode = false): string {
  if (agent) return agentBody(model, unicode);
  return JSON.stringify({ model, messages: MESSAGES, max_tokens: 256, temperature: 0.7, ...(stream ? { stream: true } : {}) });
}

function anthropicBody(model: string): string {
  const [system, ...rest] = MESSAGES;
  return JSON.stringify({ model, system: system?.content, messages: rest, max_tokens: 256, temperature: 0.7 });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The request a target receives for a workload; `streamModel` names the fake's stream shape (e.g. s64i20). */
export function requestFor(target: Target, workload: Workload, streamModel = 's64i20'): RequestSpec {
  const model = workload === 'stream' ? streamModel : 'bench-model';
  const stream = workload === 'stream';
  const unicode = workload === 'agent-unicode';
  const agent = workload === 'agent' || unicode;
  if (workload === 'codex') return codexRequestFor(target);
  if (target.name === 'switchyard' || target.name === 'switchyard-governed') {
    // The same direct routes for both, so the only difference between them is governance.
    const provider = workload === 'translate' ? 'ant' : 'up';
    const headers = target.apiKey === undefined ? JSON_HEADERS : { ...JSON_HEADERS, authorization: `Bearer ${target.apiKey}` };
    return { path: '/v1/chat/completions', headers, body: openAiBody(`${provider}/${model}`, stream, agent, unicode) };
  }
  if (target.name === 'switchyard-keys') {
    // The realistic config's two-target latency aliases (switchyard-process.ts), with the issued virtual key.
    const alias = workload === 'translate' ? 'realistic-ant' : `realistic-${model}`;
    return { path: '/v1/chat/completions', headers: { ...JSON_HEADERS, authorization: `Bearer ${target.apiKey ?? ''}` }, body: openAiBody(alias, stream, agent, unicode) };
  }
  if (target.name === 'portkey') {
    const anthropic = workload === 'translate';
    return {
      path: '/v1/chat/completions',
      headers: {
        ...JSON_HEADERS,
        authorization: 'Bearer bench-key',
        'x-portkey-provider': anthropic ? 'anthropic' : 'openai',
        'x-portkey-custom-host': `${target.upstreamOrigin}/v1`,
      },
      body: openAiBody(model, stream, agent, unicode),
    };
  }
  if (workload === 'translate') {
    return { path: '/v1/messages', headers: { ...JSON_HEADERS, 'x-api-key': 'bench-key', 'anthropic-version': '2023-06-01' }, body: anthropicBody(model) };
  }
  // The product floor checks a virtual key as Switchyard's governed configs do.
  const headers = target.apiKey === undefined ? JSON_HEADERS : { ...JSON_HEADERS, authorization: `Bearer ${target.apiKey}` };
  return { path: '/v1/chat/completions', headers, body: openAiBody(model, stream, agent, unicode) };
}

/** The `codex` workload: Codex CLI's streamed Responses API request, to `/v1/responses` on every target. */
function codexRequestFor(target: Target): RequestSpec {
  const keyed = target.apiKey === undefined ? JSON_HEADERS : { ...JSON_HEADERS, authorization: `Bearer ${target.apiKey}` };
  if (target.name === 'switchyard' || target.name === 'switchyard-governed') return { path: '/v1/responses', headers: keyed, body: codexBody('resp/bench-model') };
  if (target.name === 'switchyard-keys') return { path: '/v1/responses', headers: keyed, body: codexBody('realistic-codex') };
  return { path: '/v1/responses', headers: keyed, body: codexBody('bench-model') };
}
