import { describe, expect, it } from 'vitest';
import { createModelLookup } from '../catalog/index.js';
import { systemRandom, type CanonicalRequest } from '../core/index.js';
import { parseConfigText } from '../config/load-config.js';
import { planRoute } from '../routing/resolve-route.js';
import { estimateRequest, estimateTargetTokens } from './request-estimate.js';

const parsed = parseConfigText(
  'providers:\n  oa: { type: openai, api_key: k }\n  an: { type: anthropic, api_key: k }\nmodels:\n  both: { targets: [{ provider: oa, model: gpt-4o }, { provider: an, model: claude-sonnet-4-5 }] }\n',
  'estimate.yaml',
  {},
);
if (!parsed.config) throw new Error(JSON.stringify(parsed.issues));
const targets = planRoute('both', parsed.config, systemRandom).targets;
const lookup = createModelLookup({});
const prompt: CanonicalRequest = { model: 'both', messages: [{ role: 'user', content: [{ type: 'text', text: 'How far is the Moon from the Earth?' }] }], stream: false };

describe('estimateTargetTokens', () => {
  it('gives each target the tokens estimateRequest gives it alone, with and without an output maximum', () => {
    expect(targets).toHaveLength(2);
    for (const request of [prompt, { ...prompt, maxOutputTokens: 300 }]) {
      for (const target of targets) {
        expect(estimateTargetTokens(request, target, () => lookup)).toBe(estimateRequest(request, [target], lookup).tokens);
      }
    }
  });
});
