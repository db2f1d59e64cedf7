import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBodyText } from './json-body-text.js';

const bytesOf = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const padding = 'plain ASCII text of an agent prompt. '.repeat(80);

describe('jsonBodyText', () => {
  it('copies an ASCII body as it is', () => {
    const decoded = jsonBodyText(Buffer.from('{"model":"m","note":"caf\\u00e9 as an escape"}'));
    expect(decoded).toMatchObject({ validUtf8: true, escaped: false });
    expect(JSON.parse(decoded.text)).toEqual({ model: 'm', note: 'caf\u00e9 as an escape' });
  });

  it('escapes a few non-ASCII characters, astral ones as surrogate pairs, so the body parses to the same value', () => {
    const value = { model: 'm', messages: [{ role: 'user', content: `${padding}🤖 Generated — naïve → 语` }], 'kéy': padding };
    const decoded = jsonBodyText(bytesOf(value));
    expect(decoded).toMatchObject({ validUtf8: true, escaped: true });
    expect(decoded.text).toContain('\\ud83e\\udd16');
    expect(Buffer.from(decoded.text, 'latin1').every((byte) => byte < 0x80)).toBe(true);
    expect(JSON.parse(decoded.text)).toEqual(value);
  });

  it('escapes a character that straddles a block boundary, at every offset around it', () => {
    for (let fill = 490; fill < 530; fill += 1) {
      const value = { content: `${'a'.repeat(fill)}😀é—${padding}` };
      const decoded = jsonBodyText(bytesOf(value));
      expect(decoded.escaped).toBe(true);
      expect(JSON.parse(decoded.text)).toEqual(value);
    }
  });

  it('leaves a body dense with non-ASCII text to the ordinary decoder', () => {
    const decoded = jsonBodyText(bytesOf({ content: '语言模型'.repeat(500) }));
    expect(decoded).toMatchObject({ validUtf8: true, escaped: false });
    expect(JSON.parse(decoded.text)).toEqual({ content: '语言模型'.repeat(500) });
  });

  it('reads invalid UTF-8 as Node does, with replacement characters, and says so', () => {
    const bytes = Buffer.concat([Buffer.from(`{"content":"${padding}`), Buffer.from([0xff, 0xc3]), Buffer.from('"}')]);
    const decoded = jsonBodyText(bytes);
    expect(decoded).toEqual({ text: bytes.toString('utf8'), validUtf8: false, escaped: false });
  });

  it('parses any JSON value to what JSON.parse of the UTF-8 text gives', () => {
    const texts = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), fc.constant(padding));
    const values = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, texts, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value')), fc.dictionary(texts, tie('value'))),
    })).value;
    let escaped = 0;
    fc.assert(
      fc.property(values, (value) => {
        const bytes = bytesOf(value);
        const decoded = jsonBodyText(bytes);
        if (decoded.escaped) escaped += 1;
        expect(JSON.parse(decoded.text)).toEqual(JSON.parse(bytes.toString('utf8')));
      }),
      { numRuns: 1000 },
    );
    expect(escaped).toBeGreaterThan(50);
  });
});
