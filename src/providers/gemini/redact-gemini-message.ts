const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/\bAIza[0-9A-Za-z_-]{10,}/g, '[redacted]'],
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_*.-]{4,}/g, '[redacted]'],
  [/\bya29\.[0-9A-Za-z_.-]+/g, '[redacted]'],
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  // A key passed as `?key=` can come back inside an echoed URL.
  [/([?&]key=)[^&\s"]+/gi, '$1[redacted]'],
];

const MAX_SUMMARY_LENGTH = 300;

/** Strips anything that looks like a Google API key or token from an upstream message and bounds its length. */
export function redactGeminiMessage(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  out = out.replace(/\s+/g, ' ').trim();
  return out.length > MAX_SUMMARY_LENGTH ? `${out.slice(0, MAX_SUMMARY_LENGTH - 1)}…` : out;
}
