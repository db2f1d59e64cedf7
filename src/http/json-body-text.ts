import { isAscii, isUtf8 } from 'node:buffer';

/** A JSON body's text for `JSON.parse`, and whether its bytes were valid UTF-8. */
export interface JsonBodyText {
  text: string;
  validUtf8: boolean;
  /** Whether `text` spells non-ASCII characters as `\u` escapes rather than as themselves. */
  escaped: boolean;
}

// isAscii is asked per block, so a body with a few non-ASCII characters is walked byte by byte only around them; a
// block doubles after each ASCII one, so a long ASCII run costs a few views and calls, not one per 512 bytes.
const MIN_BLOCK_BYTES = 512;
const MAX_BLOCK_BYTES = 64 * 1024;
/** Past this share of escaped UTF-16 units per body byte, escaping costs more than V8's own UTF-8 decoding. */
const MAX_ESCAPED_UNITS_PER_BYTE = 1 / 24;
// Each escaped unit adds at most 4 bytes (a 2-byte sequence becomes 6; a 4-byte one becomes two escapes of 6).
const EXTRA_BYTES_PER_ESCAPED_UNIT = 4;
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

function writeEscape(out: Buffer, at: number, unit: number): number {
  out[at] = 0x5c;
  out[at + 1] = 0x75;
  out[at + 2] = HEX_DIGITS[unit >> 12] as number;
  out[at + 3] = HEX_DIGITS[(unit >> 8) & 15] as number;
  out[at + 4] = HEX_DIGITS[(unit >> 4) & 15] as number;
  out[at + 5] = HEX_DIGITS[unit & 15] as number;
  return at + 6;
}

/**
 * Valid UTF-8 JSON with each non-ASCII character written as `\u` escapes, read as Latin-1 (a copy, not a decode); or
 * undefined past the density bound. Only inside strings may JSON hold such characters, and there an escape parses to
 * the same UTF-16 units; outside them both spellings are a syntax error.
 */
function escapedAsciiText(bytes: Buffer): string | undefined {
  const length = bytes.length;
  const maxUnits = Math.floor(length * MAX_ESCAPED_UNITS_PER_BYTE);
  const out = Buffer.allocUnsafe(length + maxUnits * EXTRA_BYTES_PER_ESCAPED_UNIT + 12);
  let units = 0;
  let at = 0;
  let i = 0;
  let block = MIN_BLOCK_BYTES;
  while (i < length) {
    const end = Math.min(i + block, length);
    if (isAscii(bytes.subarray(i, end))) {
      at += bytes.copy(out, at, i, end);
      i = end;
      block = Math.min(block * 2, MAX_BLOCK_BYTES);
      continue;
    }
    block = MIN_BLOCK_BYTES;
    // A character that starts in this block may end past it; the next block starts after it.
    while (i < end) {
      const lead = bytes[i] as number;
      if (lead < 0x80) {
        out[at++] = lead;
        i += 1;
        continue;
      }
      let point: number;
      if (lead < 0xe0) {
        point = ((lead & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f);
        i += 2;
      } else if (lead < 0xf0) {
        point = ((lead & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f);
        i += 3;
      } else {
        point = ((lead & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6) | ((bytes[i + 3] as number) & 0x3f);
        i += 4;
      }
      if (point < 0x10000) {
        units += 1;
        at = writeEscape(out, at, point);
      } else {
        units += 2;
        const offset = point - 0x10000;
        at = writeEscape(out, writeEscape(out, at, 0xd800 | (offset >> 10)), 0xdc00 | (offset & 0x3ff));
      }
      if (units > maxUnits) return undefined;
    }
  }
  return out.toString('latin1', 0, at);
}

/**
 * The text of a JSON body. Node 20's V8 decodes UTF-8 that holds any non-ASCII character at about 2 ns a byte and
 * makes the whole body a two-byte string, which `JSON.parse` then reads more slowly: one emoji in a 100 KB agent
 * prompt cost ~250 µs. So ASCII is copied as Latin-1, and UTF-8 with few non-ASCII characters is escaped to ASCII
 * first, which leaves only the strings holding them two-byte. Invalid UTF-8 is decoded as Node does (U+FFFD).
 */
export function jsonBodyText(bytes: Buffer): JsonBodyText {
  if (isAscii(bytes)) return { text: bytes.toString('latin1'), validUtf8: true, escaped: false };
  if (!isUtf8(bytes)) return { text: bytes.toString('utf8'), validUtf8: false, escaped: false };
  const escaped = escapedAsciiText(bytes);
  return escaped === undefined ? { text: bytes.toString('utf8'), validUtf8: true, escaped: false } : { text: escaped, validUtf8: true, escaped: true };
}
