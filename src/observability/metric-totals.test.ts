import { describe, expect, it } from 'vitest';
import { LabelSets } from './metric-totals.js';

describe('LabelSets', () => {
  it('makes one label object per combination, whether it was asked for last or earlier', () => {
    let made = 0;
    const sets = new LabelSets((a, b, c, d) => {
      made += 1;
      return { a, b, c, d };
    });
    const first = sets.get('gpt', 'oai', '200', 'openai');
    // The same values in new string objects, as each request's parsed model is.
    expect(sets.get(['g', 'pt'].join(''), 'oai', '200', 'openai')).toBe(first);
    const changed = [sets.get('gpt', 'oai', '200', 'anthropic'), sets.get('gpt', 'oai', '429', 'openai'), sets.get('gpt', 'ant', '200', 'openai'), sets.get('claude', 'oai', '200', 'openai')];
    expect(changed.map((labels) => labels === first)).toEqual([false, false, false, false]);
    expect(sets.get('gpt', 'oai', '200', 'openai')).toBe(first);
    expect(sets.get('gpt', 'oai', '200', 'anthropic')).toBe(changed[0]);
    expect(made).toBe(5);
  });

  it('takes a value left out as the empty one', () => {
    const sets = new LabelSets((a, b, c, d) => ({ a, b, c, d }));
    expect(sets.get('x')).toEqual({ a: 'x', b: '', c: '', d: '' });
    expect(sets.get('x', '', '', '')).toBe(sets.get('x'));
    expect(sets.get('x', 'y')).toEqual({ a: 'x', b: 'y', c: '', d: '' });
  });
});
