import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfigText } from './load-config.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8');

describe('config loading', () => {
  it('interpolates ${VAR} and ${VAR:-default} and applies defaults', () => {
    const result = parseConfigText(fixture('full-config.yaml'), 'full-config.yaml', { OPENAI_API_KEY: 'sk-test-1' });
    expect(result.issues).toEqual([]);
    const config = result.config!;
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4100, adminKey: 'dev-admin' });
    expect(config.providers.get('oai')).toMatchObject({ type: 'openai', apiKey: 'sk-test-1', baseUrl: 'https://api.openai.com/v1' });
    expect(config.providers.get('claude')).toMatchObject({ apiKey: 'sk-ant-default', options: { apiVersion: '2026-10-21' }, baseUrl: 'https://api.anthropic.com' });
    expect(config.providers.get('local')?.baseUrl).toBe('http://127.0.0.1:8000/v1');
    const smart = config.models.get('smart')!;
    expect(smart.targets.map((t) => `${t.providerId}/${t.model}`)).toEqual(['claude/claude-sonnet-4-5', 'oai/gpt-4o']);
    expect(smart.retry).toEqual({ attempts: 2, baseDelayMs: 100, maxDelayMs: 2000 });
    expect(smart.timeouts.stallMs).toBe(10000);
  });

  it('rejects a variable that is unset and has no default, naming it and where it is used', () => {
    const result = parseConfigText(fixture('full-config.yaml'), 'full-config.yaml', {});
    expect(result.config).toBeUndefined();
    expect(result.issues).toContainEqual({
      path: 'providers.oai.api_key',
      message: 'environment variable OPENAI_API_KEY is not set (write ${OPENAI_API_KEY:-} to allow it to be empty)',
    });
  });

  it('reports every problem at once: unset variables, unknown keys, bad values and dangling references', () => {
    const text = [
      'servr: { port: 1 }',
      'server: { port: 99999 }',
      'storage: { url: "mysql://db/x" }',
      'providers:',
      '  local: { type: openai-compatible, base_url: "https://${NO_SUCH_HOST}/v1" }',
      'models:',
      '  main: { targets: [{ provider: ghost, model: x }] }',
    ].join('\n');
    const paths = parseConfigText(text, 'many.yaml', {}).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['servr', 'server.port', 'storage.url', 'providers.local.base_url', 'models.main.targets[0].provider']));
  });

  it('rejects unknown keys and dangling provider references, each with its path', () => {
    const result = parseConfigText(fixture('unknown-keys.yaml'), 'unknown-keys.yaml', {});
    expect(result.config).toBeUndefined();
    const paths = result.issues.map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining(['server.prot: unknown key', 'providers.oai.api_kee: unknown key', 'models.smart.targets[0].priority: unknown key']),
    );
  });

  it('reports references to unknown providers', () => {
    const text = 'providers:\n  a: { type: simulated }\nmodels:\n  m:\n    targets: [{ provider: b, model: x }]\n';
    const result = parseConfigText(text, 'inline.yaml', {});
    expect(result.issues).toEqual([{ path: 'models.m.targets[0].provider', message: 'unknown provider "b"' }]);
  });

  it('reports YAML syntax errors', () => {
    const result = parseConfigText('providers: [unclosed', 'bad.yaml', {});
    expect(result.issues[0]?.message).toMatch(/cannot parse/);
  });

  it('names the file in a JSON syntax error', () => {
    const result = parseConfigText('{"providers": ', '/etc/switchyard/gateway.json', {});
    expect(result.issues[0]?.message).toMatch(/^cannot parse \/etc\/switchyard\/gateway\.json: /);
  });

  it('keeps the built-in simulated/* models reachable next to the providers a config file defines', () => {
    const config = parseConfigText('providers:\n  oai: { type: openai, api_key: sk-x }\n', 'c.yaml', {}).config!;
    expect(config.providers.get('simulated')?.type).toBe('simulated');
    expect([...config.providers.keys()]).toEqual(['oai', 'simulated']);
  });

  it('drops the built-in simulated provider with simulated_provider: false, and never replaces one the file names', () => {
    const off = parseConfigText('simulated_provider: false\nproviders:\n  oai: { type: openai, api_key: sk-x }\n', 'c.yaml', {}).config!;
    expect([...off.providers.keys()]).toEqual(['oai']);
    const own = parseConfigText('providers:\n  simulated: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }\n', 'c.yaml', {}).config!;
    expect(own.providers.get('simulated')?.type).toBe('openai-compatible');
  });

  it('accepts JSON', () => {
    const result = parseConfigText('{"providers":{"s":{"type":"simulated"}}}', 'c.json', {});
    expect(result.config?.providers.get('s')?.type).toBe('simulated');
  });

  it('built-in default serves the simulated provider and registers providers whose key variable is set', () => {
    const bare = defaultConfig({});
    expect([...bare.providers.keys()]).toEqual(['simulated']);
    const withKeys = defaultConfig({ OPENAI_API_KEY: 'sk-a', GROQ_API_KEY: 'gsk-b' });
    expect([...withKeys.providers.keys()].sort()).toEqual(['groq', 'openai', 'simulated']);
    expect(withKeys.providers.get('groq')?.baseUrl).toBe('https://api.groq.com/openai/v1');
  });

  it('keeps a secret reference out of the provider settings and in its policy, resolved at call time', () => {
    const result = parseConfigText('providers:\n  oai: { type: openai, api_key: "vault://secret/llm#openai", redact: [email, "regex:\\\\d{4}"] }\n', 'c.yaml', {});
    expect(result.config?.providers.get('oai')?.apiKey).toBeUndefined();
    expect(result.config?.providerPolicies.get('oai')).toMatchObject({ secretReference: 'vault://secret/llm#openai', trusted: false });
    expect(result.config?.providerPolicies.get('oai')?.redact.map((rule) => rule.name)).toEqual(['email', 'regex']);
    expect(result.notes).toEqual([]);
  });

  it('takes a redis:// state url with its prefix and merge interval, and names the schemes it accepts', () => {
    const ok = parseConfigText('state: { url: "redis://127.0.0.1:6379", prefix: "sy-a:", sync_interval_ms: 50 }\n', 'c.yaml', {});
    expect(ok.config?.state).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'sy-a:', syncIntervalMs: 50 });
    const bad = parseConfigText('state: { url: "etcd://x" }\n', 'c.yaml', {});
    expect(bad.issues).toEqual([{ path: 'state.url', message: 'use memory:// or redis://host:6379 (rediss:// for TLS)' }]);
  });

  it('keeps stored bodies 7 days by default, shorter than the 30 days of their records, and takes body_retention_days', () => {
    expect(parseConfigText('{}\n', 'c.yaml', {}).config?.storage).toMatchObject({ retentionDays: 30, storeBodies: false, bodyRetentionDays: 7 });
    const set = parseConfigText('storage: { store_bodies: true, body_retention_days: 2 }\n', 'c.yaml', {});
    expect(set.config?.storage).toMatchObject({ storeBodies: true, bodyRetentionDays: 2 });
    expect(parseConfigText('storage: { body_retention_days: -1 }\n', 'c.yaml', {}).issues.map((issue) => issue.path)).toEqual(['storage.body_retention_days']);
  });
});
