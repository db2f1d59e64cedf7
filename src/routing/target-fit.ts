import type { ModelInfo } from '../catalog/index.js';
import type { CanonicalRequest, OutputClamp, Target } from '../core/index.js';
import { GatewayError } from '../core/index.js';
import type { PromptTokenCount } from './token-count/index.js';
import { countPromptTokens, promptUpperBound, tokenizerFamilyFor } from './token-count/index.js';

/** Features a request needs from a model. */
export interface RequiredCapabilities {
  tools: boolean;
  vision: boolean;
  jsonSchema: boolean;
}

/** Whether one target can take a request, and why not. */
export type TargetFit = { ok: true } | { ok: false; reason: 'context' | 'capability'; detail: string };

/** A target left out of the plan; context skips carry the numbers the error message reports. */
export interface SkippedTarget {
  target: Target;
  reason: 'context' | 'capability';
  detail: string;
  promptTokens?: number;
  outputTokens?: number;
  contextWindow?: number;
}

/** The targets that can take a request, in route order, and those skipped. */
export interface FitPlan {
  fitting: Target[];
  skipped: SkippedTarget[];
  /** The prompt count for the first target that needed one; absent when the byte bound cleared every target. */
  promptTokens?: number;
  method?: PromptTokenCount['method'];
}

/** Counts a prompt for a target; injectable so callers and tests can observe or replace the tokenizer. */
export type PromptCounter = (request: CanonicalRequest, target: Target) => PromptTokenCount;

/** Finds a target's model limits and capabilities (see `createModelLookup`). */
export type TargetLookup = (target: Target) => ModelInfo | undefined;

/** Which capabilities a request needs: tools (definitions or tool turns), vision (any image), a JSON-Schema output. */
export function requiredCapabilities(request: CanonicalRequest): RequiredCapabilities {
  let tools = (request.tools?.length ?? 0) > 0;
  let vision = false;
  for (const message of request.messages) {
    for (const part of message.content) {
      if (part.type === 'image') vision = true;
      else if (part.type === 'tool-call') tools = true;
      else if (part.type === 'tool-result') {
        tools = true;
        if (part.content.some((inner) => inner.type === 'image')) vision = true;
      }
    }
  }
  return { tools, vision, jsonSchema: request.responseFormat?.type === 'json-schema' };
}

/**
 * Output tokens the upstream will reserve. Providers reject only when prompt + max_tokens exceeds the window, and
 * OpenAI-format and Gemini upstreams fill the remaining window when max_tokens is absent, so that counts as 1. The
 * Anthropic adapter always sends max_tokens, defaulting to the catalogue's limit, and Anthropic rejects when that
 * overflows, so an Anthropic target reserves the model's maximum.
 */
function reservedOutputTokens(request: CanonicalRequest, target: Target, info: ModelInfo): number {
  if (request.maxOutputTokens !== undefined) return request.maxOutputTokens;
  return target.provider.type === 'anthropic' ? info.maxOutputTokens : 1;
}

const CAPABILITY_GAPS: ReadonlyArray<readonly [keyof RequiredCapabilities, string]> = [
  ['tools', 'no tool support'],
  ['vision', 'no image input support'],
  ['jsonSchema', 'no JSON-schema output support'],
];

function capabilityGap(required: RequiredCapabilities, info: ModelInfo): string | undefined {
  for (const [capability, detail] of CAPABILITY_GAPS) if (required[capability] && !info.capabilities[capability]) return detail;
  return undefined;
}

/**
 * Checks one target: unknown models always fit; a missing capability skips; with a prompt count, prompt plus
 * reserved output must fit the window (`promptTokens` undefined means the caller knows it fits).
 */
export function checkTargetFit(
  request: CanonicalRequest,
  target: Target,
  info: ModelInfo | undefined,
  promptTokens: number | undefined,
  required: RequiredCapabilities = requiredCapabilities(request),
): TargetFit {
  if (!info) return { ok: true };
  const gap = capabilityGap(required, info);
  if (gap) return { ok: false, reason: 'capability', detail: gap };
  if (promptTokens === undefined) return { ok: true };
  const output = reservedOutputTokens(request, target, info);
  if (promptTokens + output <= info.contextWindow) return { ok: true };
  return {
    ok: false,
    reason: 'context',
    detail: `prompt ~${promptTokens} + output ${output} tokens exceeds the ${info.contextWindow}-token window`,
  };
}

/** How planFit treats a max_tokens that does not fit: clamp it to what fits (default off here; config turns it on). */
export interface FitOptions {
  clampMaxTokens?: boolean;
}

/**
 * The fewest output tokens a clamp may leave (or the request's own budget when smaller): a target with less room
 * than that is skipped for context, so the request fails over to a target whose window fits.
 */
const MIN_CLAMPED_OUTPUT_TOKENS = 1024;

function withClamp(target: Target, clamp: OutputClamp | undefined): Target {
  return clamp === undefined ? target : { ...target, outputClamp: clamp };
}

/** The output-limit clamp: a budget above what the model can generate is lowered to its limit. */
function outputLimitClamp(output: number, info: ModelInfo): OutputClamp | undefined {
  if (output <= info.maxOutputTokens) return undefined;
  return { requested: output, clamped: info.maxOutputTokens, limit: `the model's ${info.maxOutputTokens}-token output limit` };
}

/** The window clamp: what is left of the window after the prompt, if that is enough to be worth sending. */
function windowClamp(output: number, promptTokens: number, info: ModelInfo, earlier: OutputClamp | undefined): OutputClamp | undefined {
  const room = info.contextWindow - promptTokens;
  if (room < Math.min(output, MIN_CLAMPED_OUTPUT_TOKENS)) return undefined;
  return {
    requested: earlier?.requested ?? output,
    clamped: room,
    limit: `the ${info.contextWindow}-token context window (prompt ~${promptTokens} tokens)`,
  };
}

/**
 * Splits targets into those that can take the request and those skipped. The tokenizer runs only for targets whose
 * window the cheap byte bound does not clear, and once per tokenizer family, so small requests never tokenize. With
 * `clampMaxTokens`, an output budget above a target's output limit or beyond its window is lowered to what fits
 * (`Target.outputClamp`) instead of skipping the target; too little room left still skips it.
 */
export function planFit(
  request: CanonicalRequest,
  targets: readonly Target[],
  lookup: TargetLookup,
  count: PromptCounter = countPromptTokens,
  options: FitOptions = {},
): FitPlan {
  const required = requiredCapabilities(request);
  const plan: FitPlan = { fitting: [], skipped: [] };
  const counts = new Map<string, PromptTokenCount>();
  let bound: number | undefined;
  for (const target of targets) {
    const info = lookup(target);
    const capability = checkTargetFit(request, target, info, undefined, required);
    if (!capability.ok) {
      plan.skipped.push({ target, reason: capability.reason, detail: capability.detail });
      continue;
    }
    if (!info) {
      plan.fitting.push(target);
      continue;
    }
    let output = reservedOutputTokens(request, target, info);
    const clamp = options.clampMaxTokens === true ? outputLimitClamp(output, info) : undefined;
    if (clamp) output = clamp.clamped;
    bound ??= promptUpperBound(request);
    if (bound + output <= info.contextWindow) {
      plan.fitting.push(withClamp(target, clamp));
      continue;
    }
    const family = tokenizerFamilyFor(target).id;
    let counted = counts.get(family);
    if (!counted) {
      counted = count(request, target);
      counts.set(family, counted);
    }
    if (plan.promptTokens === undefined) {
      plan.promptTokens = counted.tokens;
      plan.method = counted.method;
    }
    if (counted.tokens + output <= info.contextWindow) {
      plan.fitting.push(withClamp(target, clamp));
      continue;
    }
    const squeezed = options.clampMaxTokens === true ? windowClamp(output, counted.tokens, info, clamp) : undefined;
    if (squeezed) {
      plan.fitting.push(withClamp(target, squeezed));
      continue;
    }
    plan.skipped.push({
      target,
      reason: 'context',
      detail: `prompt ~${counted.tokens} + output ${output} tokens exceeds the ${info.contextWindow}-token window`,
      promptTokens: counted.tokens,
      outputTokens: output,
      contextWindow: info.contextWindow,
    });
  }
  return plan;
}

function targetName(target: Target): string {
  return `${target.provider.id}/${target.model}`;
}

function otherSkips(skipped: readonly SkippedTarget[], reason: SkippedTarget['reason']): string {
  const others = skipped.filter((skip) => skip.reason !== reason);
  if (others.length === 0) return '';
  return ` Also skipped: ${others.map((skip) => `${targetName(skip.target)} (${skip.detail})`).join(', ')}.`;
}

/**
 * The 400 for a prompt that fits no target's window, with the numbers for the largest window tried: "prompt is
 * about N tokens (+M requested output); the largest window among targets is W (provider/model)".
 */
export function contextLengthError(
  request: CanonicalRequest,
  skipped: readonly SkippedTarget[],
  promptTokens: number | undefined,
): GatewayError {
  let largest: SkippedTarget | undefined;
  for (const skip of skipped) {
    if (skip.reason === 'context' && (skip.contextWindow ?? 0) > (largest?.contextWindow ?? -1)) largest = skip;
  }
  const prompt = largest?.promptTokens ?? promptTokens;
  const output = largest?.outputTokens ?? request.maxOutputTokens ?? 1;
  const window = largest?.contextWindow === undefined ? '' : `; the largest window among targets is ${largest.contextWindow} (${targetName(largest.target)})`;
  const size = prompt === undefined ? 'the prompt is too long' : `prompt is about ${prompt} tokens (+${output} requested output)`;
  return new GatewayError(
    'context_length_exceeded',
    `This request does not fit the context window of any target: ${size}${window}.${otherSkips(skipped, 'context')}`,
    { param: 'messages' },
  );
}

const CAPABILITY_PARAMS: Readonly<Record<string, string>> = {
  'no tool support': 'tools',
  'no image input support': 'messages',
  'no JSON-schema output support': 'response_format',
};

/** The error when no target fits: context_length_exceeded if any target was too small, else unsupported_parameter. */
export function noFittingTargetError(request: CanonicalRequest, plan: FitPlan): GatewayError {
  if (plan.skipped.some((skip) => skip.reason === 'context')) {
    return contextLengthError(request, plan.skipped, plan.promptTokens);
  }
  const list = plan.skipped.map((skip) => `${targetName(skip.target)} (${skip.detail})`).join(', ') || 'no targets';
  const first = plan.skipped[0];
  const param = first === undefined ? undefined : CAPABILITY_PARAMS[first.detail];
  return new GatewayError(
    'unsupported_parameter',
    `No target for this model supports what the request needs: ${list}.`,
    param === undefined ? {} : { param },
  );
}
