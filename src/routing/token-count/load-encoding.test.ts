import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readTiktokenRanks, textTokenCounter } from './load-encoding.js';
import type { EncodingName } from './tokenizer-family.js';

const require = createRequire(import.meta.url);

describe('readTiktokenRanks', () => {
  // The package's generated tables are what its own encodings use; reading the data file must give the same table.
  it.each<EncodingName>(['o200k_base', 'cl100k_base'])('reads %s into the table gpt-tokenizer generates from it', (encoding) => {
    const generated = (require(`gpt-tokenizer/cjs/bpeRanks/${encoding}`) as { default: (string | number[])[] }).default;
    const read = readTiktokenRanks(readFileSync(require.resolve(`gpt-tokenizer/data/${encoding}.tiktoken`), 'latin1'));
    expect(read.length).toBe(generated.length);
    expect(JSON.stringify(read)).toBe(JSON.stringify(generated));
  });

  it('keeps a token that is not whole UTF-8 as its bytes, and fills a skipped rank with an empty text', () => {
    const text = `${Buffer.from('ab').toString('base64')} 0\n${Buffer.from([0xe2, 0x82]).toString('base64')} 2\n`;
    expect(readTiktokenRanks(text)).toEqual(['ab', '', [0xe2, 0x82]]);
  });
});

describe('textTokenCounter', () => {
  it('counts as the package\'s own encoding does, special-token text included', () => {
    const own = require('gpt-tokenizer/cjs/encoding/o200k_base') as { countTokens(text: string, options: { disallowedSpecial: Set<string> }): number };
    const texts = ['', 'What is the capital of France?', 'naïve café — 東京 🙂 <|endoftext|>', ' \t\n  spaced\r\nlines  '];
    for (const text of texts) expect(textTokenCounter('o200k_base')(text)).toBe(text === '' ? 0 : own.countTokens(text, { disallowedSpecial: new Set() }));
  });
});
