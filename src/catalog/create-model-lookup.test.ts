import { describe, expect, it } from 'vitest';
import type { ProviderSettings, ProviderType, Target } from '../core/index.js';
import data from './models.json' with { type: 'json' };
import { catalogFormatFor, createModelLookup, lookupModel } from './index.js';

function target(id: string, type: ProviderType, model: string): Target {
  const provider: ProviderSettings = { id, type, baseUrl: 'https://example.test', headers: {}, options: {} };
  return { provider, model };
}

describe('createModelLookup', () => {
  it('finds built-in entries by the provider type’s wire format', () => {
    const lookup = createModelLookup({});
    expect(lookup(target('oai', 'openai', 'gpt-4o'))).toBe(lookupModel('openai-chat', 'gpt-4o'));
    expect(lookup(target('ds', 'deepseek', 'deepseek-chat'))).toBe(lookupModel('openai-chat', 'deepseek-chat'));
    expect(lookup(target('c', 'anthropic', 'claude-haiku-4-5-20251001'))).toBe(lookupModel('anthropic-messages', 'claude-haiku-4-5'));
    expect(lookup(target('g', 'gemini', 'gemini-2.5-pro'))).toBe(lookupModel('gemini', 'gemini-2.5-pro'));
    expect(lookup(target('c', 'anthropic', 'gpt-4o'))).toBeUndefined();
    expect(lookup(target('sim', 'simulated', 'echo'))).toBeUndefined();
    expect(catalogFormatFor('groq')).toBe('openai-chat');
  });

  it('merges a provider’s override over the catalogue entry, capability by capability', () => {
    const lookup = createModelLookup({ azure: { 'gpt-4o': { contextWindow: 64_000, capabilities: { vision: false } } } });
    expect(lookup(target('azure', 'openai', 'gpt-4o'))).toEqual({
      contextWindow: 64_000,
      maxOutputTokens: 16384,
      capabilities: { tools: true, vision: false, jsonSchema: true, reasoning: false },
      price: { input: 2.5, output: 10, cacheRead: 1.25 },
    });
    expect(lookup(target('oai', 'openai', 'gpt-4o'))?.contextWindow).toBe(128000);
    expect(lookupModel('openai-chat', 'gpt-4o')?.capabilities.vision).toBe(true);
  });

  it('merges a partial price over the catalogue price', () => {
    const lookup = createModelLookup({ azure: { 'gpt-4o': { price: { input: 2 } } } });
    expect(lookup(target('azure', 'openai', 'gpt-4o'))?.price).toEqual({ input: 2, output: 10, cacheRead: 1.25 });
  });

  it('describes uncatalogued and simulated models only through overrides, assuming what the config leaves out', () => {
    const lookup = createModelLookup({
      local: { 'llama-3-8b': { contextWindow: 8192, capabilities: { tools: false } } },
      sim: { echo: { contextWindow: 1000 } },
    });
    expect(lookup(target('local', 'openai-compatible', 'llama-3-8b'))).toEqual({
      contextWindow: 8192,
      maxOutputTokens: 4096,
      capabilities: { tools: false, vision: true, jsonSchema: true, reasoning: true },
    });
    expect(lookup(target('sim', 'simulated', 'echo'))?.contextWindow).toBe(1000);
    expect(lookup(target('sim', 'simulated', 'lorem'))).toBeUndefined();
  });

  it('ignores model names that are Object.prototype members', () => {
    const lookup = createModelLookup({ oai: {} });
    expect(lookup(target('oai', 'openai', 'constructor'))).toBeUndefined();
    expect(lookup(target('toString', 'openai', '__proto__'))).toBeUndefined();
    expect(lookupModel('openai-chat', 'hasOwnProperty')).toBeUndefined();
  });
});

describe('catalogue data', () => {
  it('lets every Claude model that calls tools take a JSON schema (emulated by a forced tool)', () => {
    for (const [name, info] of Object.entries(data['anthropic-messages'])) {
      expect({ name, jsonSchema: info.capabilities.jsonSchema }).toEqual({ name, jsonSchema: info.capabilities.tools });
    }
  });

  it('keeps every model’s maximum output within its window', () => {
    for (const models of Object.values(data)) {
      for (const [name, info] of Object.entries(models)) expect({ name, fits: info.maxOutputTokens <= info.contextWindow }).toEqual({ name, fits: true });
    }
  });
});
