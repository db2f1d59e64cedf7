import { describe, expect, it } from 'vitest';
import { createModelLookup } from '../catalog/index.js';
import type { CanonicalRequest, Message, ProviderSettings, ProviderType, Target } from '../core/index.js';
import { GatewayError } from '../core/index.js';
import type { PromptCounter } from './target-fit.js';
import { checkTargetFit, contextLengthError, noFittingTargetError, planFit, requiredCapabilities } from './target-fit.js';
import { countPromptTokens } from './token-count/index.js';

function target(id: string, type: ProviderType, model: string): Target {
  const provider: ProviderSettings = { id, type, baseUrl: 'https://example.test', headers: {}, options: {} };
  return { provider, model };
}

const GPT_4O = target('oai', 'openai', 'gpt-4o');
const GPT_4 = target('oai', 'openai', 'gpt-4');
const GPT_35 = target('oai', 'openai', 'gpt-3.5-turbo');
const CHATGPT = target('oai', 'openai', 'chatgpt-4o-latest');
const SONNET = target('claude', 'anthropic', 'claude-sonnet-4-5');
const DEEPSEEK = target('ds', 'deepseek', 'deepseek-chat');
const LOCAL = target('local', 'openai-compatible', 'my-local-llama');
const lookup = createModelLookup({});

function userText(text: string, extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }], ...extra };
}

function spyCounter(): { count: PromptCounter; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    count: (request, t) => {
      calls.push(`${t.provider.id}/${t.model}`);
      return countPromptTokens(request, t);
    },
  };
}

// ~20,000 tokens and 120,000 bytes: over the gpt-4 and gpt-3.5 windows, inside gpt-4o's 128,000 even by bytes.
const LONG = 'hello '.repeat(20_000);

describe('requiredCapabilities', () => {
  it('needs tools for definitions or tool turns, vision for any image, jsonSchema for a json-schema format', () => {
    expect(requiredCapabilities(userText('hi'))).toEqual({ tools: false, vision: false, jsonSchema: false });
    const toolTurn: Message = { role: 'tool', content: [{ type: 'tool-result', callId: 'c', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/i.png' } }] }] };
    expect(requiredCapabilities({ model: 'm', stream: false, messages: [toolTurn] })).toEqual({ tools: true, vision: true, jsonSchema: false });
    const schema = userText('hi', { responseFormat: { type: 'json-schema', name: 'x', schema: {} } });
    expect(requiredCapabilities(schema).jsonSchema).toBe(true);
    expect(requiredCapabilities(userText('hi', { responseFormat: { type: 'json' } })).jsonSchema).toBe(false);
  });
});

describe('checkTargetFit', () => {
  it('lets unknown models through whatever the request needs', () => {
    const request = userText(LONG, { tools: [{ name: 't', parameters: {} }], maxOutputTokens: 10_000_000 });
    expect(checkTargetFit(request, LOCAL, lookup(LOCAL), 10_000_000)).toEqual({ ok: true });
  });

  it('skips models missing a needed capability', () => {
    const withTools = userText('hi', { tools: [{ name: 't', parameters: {} }] });
    expect(checkTargetFit(withTools, CHATGPT, lookup(CHATGPT), undefined)).toEqual({ ok: false, reason: 'capability', detail: 'no tool support' });
    const image = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/i.png' } }] }] } satisfies CanonicalRequest;
    expect(checkTargetFit(image, DEEPSEEK, lookup(DEEPSEEK), undefined)).toMatchObject({ ok: false, detail: 'no image input support' });
    const schema = userText('hi', { responseFormat: { type: 'json-schema', name: 'x', schema: {} } });
    expect(checkTargetFit(schema, GPT_4, lookup(GPT_4), undefined)).toMatchObject({ ok: false, detail: 'no JSON-schema output support' });
    expect(checkTargetFit(schema, SONNET, lookup(SONNET), undefined)).toEqual({ ok: true });
  });

  it('skips when prompt plus requested output exceeds the window, and counts absent max output as 1', () => {
    const info = lookup(GPT_4);
    expect(checkTargetFit(userText('x', { maxOutputTokens: 1000 }), GPT_4, info, 7192)).toEqual({ ok: true });
    expect(checkTargetFit(userText('x', { maxOutputTokens: 1001 }), GPT_4, info, 7192)).toMatchObject({ ok: false, reason: 'context' });
    expect(checkTargetFit(userText('x'), GPT_4, info, 8191)).toEqual({ ok: true });
    expect(checkTargetFit(userText('x'), GPT_4, info, 8192)).toMatchObject({ ok: false, reason: 'context' });
  });

  it('reserves the model maximum for Anthropic, whose adapter always sends max_tokens', () => {
    expect(checkTargetFit(userText('x'), SONNET, lookup(SONNET), 136_000)).toEqual({ ok: true });
    expect(checkTargetFit(userText('x'), SONNET, lookup(SONNET), 136_001)).toMatchObject({ ok: false, reason: 'context' });
  });
});

describe('planFit', () => {
  it('never tokenizes a request whose byte bound fits every window', () => {
    const spy = spyCounter();
    const plan = planFit(userText('What is the capital of France?', { maxOutputTokens: 500 }), [GPT_4, GPT_35, SONNET, LOCAL], lookup, spy.count);
    expect(spy.calls).toEqual([]);
    expect(plan).toEqual({ fitting: [GPT_4, GPT_35, SONNET, LOCAL], skipped: [] });
  });

  it('counts only for targets the bound does not clear, once per tokenizer family', () => {
    const spy = spyCounter();
    const plan = planFit(userText(LONG), [GPT_4O, GPT_4, GPT_35, SONNET], lookup, spy.count);
    expect(spy.calls).toEqual(['oai/gpt-4']);
    expect(plan.fitting).toEqual([GPT_4O, SONNET]);
    expect(plan.skipped.map((skip) => [skip.target.model, skip.reason])).toEqual([['gpt-4', 'context'], ['gpt-3.5-turbo', 'context']]);
    expect(plan.method).toBe('tokenizer');
    expect(plan.promptTokens).toBeGreaterThan(8192);
  });

  it('counts again for a target of another tokenizer family', () => {
    const spy = spyCounter();
    const smallClaude = createModelLookup({ claude: { 'claude-sonnet-4-5': { contextWindow: 50_000 } } });
    const plan = planFit(userText(LONG), [GPT_4, SONNET, GPT_35], smallClaude, spy.count);
    expect(spy.calls).toEqual(['oai/gpt-4', 'claude/claude-sonnet-4-5']);
    expect(plan.fitting).toEqual([]);
    expect(plan.skipped[1]).toMatchObject({ reason: 'context', outputTokens: 64_000, contextWindow: 50_000 });
  });

  it('reports capability skips without counting', () => {
    const spy = spyCounter();
    const plan = planFit(userText('hi', { tools: [{ name: 't', parameters: {} }] }), [CHATGPT, GPT_4O], lookup, spy.count);
    expect(spy.calls).toEqual([]);
    expect(plan.fitting).toEqual([GPT_4O]);
    expect(plan.skipped).toEqual([{ target: CHATGPT, reason: 'capability', detail: 'no tool support' }]);
  });

  it('applies config overrides from the model lookup', () => {
    const small = createModelLookup({ oai: { 'gpt-4o': { contextWindow: 4096 } } });
    expect(planFit(userText(LONG), [GPT_4O], small).skipped[0]).toMatchObject({ reason: 'context', contextWindow: 4096 });
  });
});

describe('contextLengthError', () => {
  it('names the prompt size, the requested output and the largest window when every target is too small', () => {
    const request = userText(LONG, { maxOutputTokens: 2000 });
    const plan = planFit(request, [GPT_35, GPT_4], lookup);
    expect(plan.fitting).toEqual([]);
    const error = contextLengthError(request, plan.skipped, plan.promptTokens);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages');
    expect(error.message).toBe(
      `This request does not fit the context window of any target: prompt is about ${plan.promptTokens} tokens ` +
        '(+2000 requested output); the largest window among targets is 16385 (oai/gpt-3.5-turbo).',
    );
  });

  it('mentions targets skipped for capabilities, and noFittingTargetError picks the right code', () => {
    const request = userText(LONG, { tools: [{ name: 't', parameters: {} }] });
    const plan = planFit(request, [CHATGPT, GPT_4], lookup);
    const error = noFittingTargetError(request, plan);
    expect(error.code).toBe('context_length_exceeded');
    expect(error.message).toMatch(/largest window among targets is 8192 \(oai\/gpt-4\)\. Also skipped: oai\/chatgpt-4o-latest \(no tool support\)\.$/);
    const onlyCapability = noFittingTargetError(request, planFit(request, [CHATGPT], lookup));
    expect(onlyCapability.code).toBe('unsupported_parameter');
    expect(onlyCapability.param).toBe('tools');
    expect(onlyCapability.message).toContain('oai/chatgpt-4o-latest (no tool support)');
  });
});

describe('planFit with clampMaxTokens', () => {
  const clamp = { clampMaxTokens: true };

  it('lowers a max_tokens above the model output limit to that limit', () => {
    const limit = lookup(GPT_4O)!.maxOutputTokens;
    const plan = planFit(userText('hi', { maxOutputTokens: limit + 15_000 }), [GPT_4O], lookup, undefined, clamp);
    expect(plan.fitting[0]?.outputClamp).toEqual({ requested: limit + 15_000, clamped: limit, limit: `the model's ${limit}-token output limit` });
  });

  it('lowers a max_tokens that overflows the window to the room left after the prompt', () => {
    const info = lookup(GPT_4)!;
    const plan = planFit(userText('x', { maxOutputTokens: 32_000 }), [GPT_4], () => ({ ...info, maxOutputTokens: 64_000 }), () => ({ tokens: 1192, method: 'tokenizer' }), clamp);
    expect(plan.fitting[0]?.outputClamp).toMatchObject({ requested: 32_000, clamped: info.contextWindow - 1192 });
  });

  it('still skips a target with too little room, so the request fails over to one whose window fits', () => {
    const plan = planFit(userText(LONG, { maxOutputTokens: 32_000 }), [GPT_4, GPT_4O], lookup, undefined, clamp);
    expect(plan.skipped.map((skip) => skip.target.model)).toEqual(['gpt-4']);
    expect(plan.fitting.map((t) => t.model)).toEqual(['gpt-4o']);
  });

  it('leaves max_tokens alone without the option (strict_max_tokens)', () => {
    const plan = planFit(userText('x', { maxOutputTokens: 32_000 }), [GPT_4], lookup, () => ({ tokens: 1192, method: 'tokenizer' }));
    expect(plan.fitting).toEqual([]);
    expect(plan.skipped[0]?.reason).toBe('context');
  });
});
