import { describe, expect, it } from 'vitest';
import { splitIntoFragments, splitTextIntoChunks } from './split-chunks.js';

describe('splitTextIntoChunks', () => {
  it('keeps an array as the deltas and cuts a string before each whitespace run', () => {
    expect(splitTextIntoChunks(['a', 'b'])).toEqual(['a', 'b']);
    expect(splitTextIntoChunks('Hello  big\nworld ')).toEqual(['Hello', '  big', '\nworld', ' ']);
    expect(splitTextIntoChunks('')).toEqual(['']);
  });
});

describe('splitIntoFragments', () => {
  it('cuts into at most the requested number of pieces that join back to the input', () => {
    const fragments = splitIntoFragments('{"city": "Zürich"}', 4);
    expect(fragments).toHaveLength(4);
    expect(fragments.join('')).toBe('{"city": "Zürich"}');
    expect(splitIntoFragments('{}', 5)).toEqual(['{', '}']);
    expect(splitIntoFragments('', 3)).toEqual(['']);
  });
});
