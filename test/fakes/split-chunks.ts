/** The deltas a text script streams: its array as given, or a single string cut before each whitespace run. */
export function splitTextIntoChunks(text: string | string[]): string[] {
  if (Array.isArray(text)) return text.length > 0 ? text : [''];
  const words = text.match(/\s*\S+|\s+$/g);
  return words ?? [text];
}

/** `text` cut into `count` fragments of near-equal length (whole code points), never fewer than one. */
export function splitIntoFragments(text: string, count: number): string[] {
  const codePoints = Array.from(text);
  const pieces = Math.max(1, Math.min(Math.floor(count), codePoints.length));
  const size = Math.ceil(codePoints.length / pieces);
  const fragments: string[] = [];
  for (let start = 0; start < codePoints.length; start += size) {
    fragments.push(codePoints.slice(start, start + size).join(''));
  }
  return fragments.length > 0 ? fragments : [''];
}
