import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.js';
import { listModels } from './list-models.js';

describe('model list', () => {
  it('lists aliases, their targets, catalogued models per provider type and configured models', () => {
    const yaml = `
providers:
  oai: { type: openai, api_key: k }
  claude: { type: anthropic, api_key: k }
  local:
    type: openai-compatible
    base_url: http://127.0.0.1:8000/v1
    models: { qwen2.5-7b: { context_window: 32768 } }
models:
  smart: { targets: [{ provider: claude, model: claude-sonnet-4-5 }, { provider: local, model: llama3 }] }
`;
    const names = listModels(parseConfigText(yaml, 'c.yaml', {}).config!);
    expect(names).toEqual(expect.arrayContaining(['smart', 'claude/claude-sonnet-4-5', 'local/llama3', 'local/qwen2.5-7b', 'oai/gpt-4o-mini', 'claude/claude-haiku-4-5']));
    expect(names).not.toContain('oai/deepseek-chat');
    expect(names).not.toContain('oai/claude-haiku-4-5');
  });
});

describe('model list with glob aliases', () => {
  it('lists the catalogued names a glob alias catches instead of the pattern', () => {
    const yaml = `
simulated_provider: false
providers:
  local: { type: openai-compatible, base_url: http://127.0.0.1:8000/v1 }
models:
  claude-*: { targets: [{ provider: local, model: qwen3-coder }] }
`;
    const names = listModels(parseConfigText(yaml, 'c.yaml', {}).config!);
    expect(names).toEqual(expect.arrayContaining(['claude-sonnet-4-5', 'claude-opus-4-5', 'local/qwen3-coder']));
    expect(names).not.toContain('claude-*');
    expect(names).not.toContain('gpt-4o');
  });
});
