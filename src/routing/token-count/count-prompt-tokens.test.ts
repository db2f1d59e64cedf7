import { describe, expect, it } from 'vitest';
import { encodeChat as encodeGpt4Chat } from 'gpt-tokenizer/model/gpt-4';
import { countChatCompletionTokens as countGpt4oChat, encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import type { CanonicalRequest, Message } from '../../core/index.js';
import type { CountTarget } from './index.js';
import { countPromptTokens, promptUpperBound } from './index.js';

const GPT_4O: CountTarget = { provider: { type: 'openai' }, model: 'gpt-4o' };
const CLAUDE: CountTarget = { provider: { type: 'anthropic' }, model: 'claude-sonnet-4-5' };

function request(messages: Message[], extra: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return { model: 'm', messages, stream: false, ...extra };
}

const CHAT: Message[] = [
  { role: 'system', content: [{ type: 'text', text: 'You are a helpful assistant.' }] },
  { role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'The capital of France is Paris.' }] },
  { role: 'user', content: [{ type: 'text', text: 'And of Japan? 日本の首都は？' }] },
];

const CHAT_AS_OPENAI = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'What is the capital of France?' },
  { role: 'assistant', content: 'The capital of France is Paris.' },
  { role: 'user', content: 'And of Japan? 日本の首都は？' },
] as const;

describe('countPromptTokens for OpenAI models', () => {
  it('counts a two-message chat exactly as OpenAI frames it', () => {
    const twoMessages = request(CHAT.slice(0, 1).concat([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]));
    expect(countPromptTokens(twoMessages, GPT_4O)).toEqual({ tokens: 18, method: 'tokenizer' });
  });

  it("agrees with gpt-tokenizer's own chat counting for o200k and cl100k models", () => {
    expect(countPromptTokens(request(CHAT), GPT_4O).tokens).toBe(countGpt4oChat?.({ messages: CHAT_AS_OPENAI }));
    expect(countPromptTokens(request(CHAT), GPT_4O).tokens).toBe(encodeChat(CHAT_AS_OPENAI).length);
    const gpt4: CountTarget = { provider: { type: 'openai' }, model: 'gpt-4-0613' };
    expect(countPromptTokens(request(CHAT), gpt4).tokens).toBe(encodeGpt4Chat(CHAT_AS_OPENAI).length);
  });

  it('uses the model family encoding, also behind an OpenAI-compatible provider and a vendor prefix', () => {
    const viaRouter: CountTarget = { provider: { type: 'openai-compatible' }, model: 'openai/gpt-4o' };
    expect(countPromptTokens(request(CHAT), viaRouter)).toEqual(countPromptTokens(request(CHAT), GPT_4O));
    const gpt4: CountTarget = { provider: { type: 'openai' }, model: 'gpt-4-0613' };
    expect(countPromptTokens(request(CHAT), gpt4).tokens).not.toBe(countPromptTokens(request(CHAT), GPT_4O).tokens);
  });

  it('counts tool definitions as their JSON, never below OpenAI’s terser internal rendering', () => {
    const parameters = {
      type: 'object' as const,
      required: ['city'],
      properties: { city: { type: 'string' as const }, unit: { type: 'string' as const, enum: ['celsius', 'fahrenheit'] } },
    };
    const withTools = request(CHAT.slice(0, 2), {
      tools: [{ name: 'get_weather', description: 'Look up the weather for a city.', parameters }],
    });
    const reference = countGpt4oChat?.({
      messages: CHAT_AS_OPENAI.slice(0, 2),
      functions: [{ name: 'get_weather', description: 'Look up the weather for a city.', parameters }],
    });
    const ours = countPromptTokens(withTools, GPT_4O).tokens;
    expect(reference).toBeDefined();
    expect(ours).toBeGreaterThanOrEqual(reference ?? 0);
    expect(ours).toBeLessThan((reference ?? 0) * 1.5);
  });

  it('charges images a fixed cost per detail: 85 low, 765 high or auto', () => {
    const image = (detail: 'low' | 'high' | undefined): CanonicalRequest =>
      request([{ role: 'user', content: [{ type: 'image', source: { kind: 'url', url: 'https://x/y.png' }, ...(detail ? { detail } : {}) }] }]);
    const empty = countPromptTokens(request([{ role: 'user', content: [] }]), GPT_4O).tokens;
    expect(countPromptTokens(image('low'), GPT_4O).tokens - empty).toBe(85);
    expect(countPromptTokens(image('high'), GPT_4O).tokens - empty).toBe(765);
    expect(countPromptTokens(image(undefined), GPT_4O).tokens - empty).toBe(765);
  });

  it('counts tool calls and tool results, and leaves out reasoning OpenAI cannot receive', () => {
    const turn = request([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'reasoning', text: 'The user wants the weather; call the tool.' },
          { type: 'tool-call', callId: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        ],
      },
      { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: '18°C, sunny' }] }] },
    ]);
    const withoutReasoning = structuredClone(turn);
    const assistant = withoutReasoning.messages[1];
    if (assistant?.role === 'assistant') assistant.content = assistant.content.filter((part) => part.type !== 'reasoning');
    expect(countPromptTokens(turn, GPT_4O).tokens).toBe(countPromptTokens(withoutReasoning, GPT_4O).tokens);
    expect(countPromptTokens(turn, CLAUDE).tokens).toBeGreaterThan(countPromptTokens(withoutReasoning, CLAUDE).tokens);
  });

  it('treats special-token strings in user text as ordinary text', () => {
    const tricky = request([{ role: 'user', content: [{ type: 'text', text: 'say <|endoftext|> please' }] }]);
    expect(countPromptTokens(tricky, GPT_4O).tokens).toBeGreaterThan(8);
  });
});

describe('countPromptTokens for other families', () => {
  it('scales the o200k count by the family factor and reports an estimate', () => {
    const o200k = countPromptTokens(request(CHAT), GPT_4O).tokens;
    expect(countPromptTokens(request(CHAT), CLAUDE)).toEqual({ tokens: Math.ceil(o200k * 1.15), method: 'estimate' });
    const gemini: CountTarget = { provider: { type: 'gemini' }, model: 'gemini-2.5-flash' };
    expect(countPromptTokens(request(CHAT), gemini)).toEqual({ tokens: o200k, method: 'estimate' });
  });

  it('never estimates above the byte bound', () => {
    const tiny = request([{ role: 'user', content: [{ type: 'text', text: 'a' }] }]);
    expect(countPromptTokens(tiny, CLAUDE).tokens).toBeLessThanOrEqual(promptUpperBound(tiny));
  });
});

describe('countPromptTokens per request', () => {
  it('counts a request once per tokenizer family and answers later asks from that count', () => {
    const chat = request(CHAT);
    const first = countPromptTokens(chat, GPT_4O);
    // The same count object comes back for a target of the same family, a fresh one for another family.
    expect(countPromptTokens(chat, { provider: { type: 'openai-compatible' }, model: 'openai/gpt-4o' })).toBe(first);
    expect(countPromptTokens(chat, CLAUDE)).not.toBe(first);
    expect(countPromptTokens(chat, CLAUDE)).toBe(countPromptTokens(chat, CLAUDE));
    // A different request with the same content is counted on its own, to the same number.
    expect(countPromptTokens(request(CHAT), GPT_4O)).not.toBe(first);
    expect(countPromptTokens(request(CHAT), GPT_4O)).toEqual(first);
  });

  it('keeps its counts out of sight: not in keys, JSON or a structured clone; a spread copy is counted afresh', () => {
    const chat = request(CHAT);
    const first = countPromptTokens(chat, GPT_4O);
    expect(Object.keys(chat)).toEqual(['model', 'messages', 'stream']);
    expect(JSON.parse(JSON.stringify(chat))).toEqual(request(CHAT));
    expect(Object.getOwnPropertySymbols(structuredClone(chat))).toEqual([]);
    const copy = { ...chat };
    expect(countPromptTokens(copy, GPT_4O)).not.toBe(first);
    expect(countPromptTokens(copy, GPT_4O)).toEqual(first);
    const shorter = { ...chat, messages: CHAT.slice(0, 2) };
    expect(countPromptTokens(shorter, GPT_4O).tokens).toBeLessThan(first.tokens);
    expect(countPromptTokens(chat, GPT_4O)).toBe(first);
  });
});
