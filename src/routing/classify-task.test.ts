import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../core/index.js';
import { classifyTask } from './classify-task.js';

interface LabelledExample {
  task: string;
  text: string;
}

const EXAMPLES = JSON.parse(readFileSync(new URL('./__fixtures__/task-classifier-examples.json', import.meta.url), 'utf8')) as LabelledExample[];

/** The accuracy docs/routing.md states; the classifier must not fall below it. */
const DOCUMENTED_ACCURACY = 0.89;

const ask = (text: string, extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'auto',
  stream: false,
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  ...extra,
});

describe('classifyTask', () => {
  it(`labels the labelled set with at least the documented accuracy (${DOCUMENTED_ACCURACY * 100} %)`, () => {
    const misses = EXAMPLES.filter((example) => classifyTask(ask(example.text)) !== example.task).map(
      (example) => `${example.task} → ${classifyTask(ask(example.text))}: ${example.text.slice(0, 60)}`,
    );
    const accuracy = (EXAMPLES.length - misses.length) / EXAMPLES.length;
    console.info(`task classifier: ${EXAMPLES.length - misses.length}/${EXAMPLES.length} = ${(accuracy * 100).toFixed(1)} %\n${misses.join('\n')}`);
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(60);
    expect(accuracy).toBeGreaterThanOrEqual(DOCUMENTED_ACCURACY);
  });

  it('reads the request shape: a JSON schema response leans to extraction, reasoning effort to reasoning', () => {
    const schema = { type: 'json-schema' as const, name: 'person', schema: { type: 'object' } };
    expect(classifyTask(ask('Jane Doe, 34, lives in Oslo.', { responseFormat: schema }))).toBe('extract');
    expect(classifyTask(ask('Which is larger?', { reasoning: { effort: 'high' } }))).toBe('reasoning');
  });

  it('calls a request with no cue chat, and reads only the last user turn', () => {
    expect(classifyTask(ask(''))).toBe('chat');
    const request = ask('Summarize this.');
    request.messages.push({ role: 'assistant', content: [{ type: 'text', text: 'Sure.' }] }, { role: 'user', content: [{ type: 'text', text: 'Thanks!' }] });
    expect(classifyTask(request)).toBe('chat');
  });
});
