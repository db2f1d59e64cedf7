const SECRET_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // OpenAI-style (`sk-…`, `sk-proj-…`), Anthropic (`sk-ant-…`), Mistral/DeepSeek/Qwen (`sk-…`) and publishable keys.
  [/\b(?:sk|pk|rk)-[A-Za-z0-9_*.-]{4,}/g, '[redacted]'],
  [/\bgsk_[A-Za-z0-9]{8,}/g, '[redacted]'],
  [/\bAIza[0-9A-Za-z_-]{10,}/g, '[redacted]'],
  [/\bya29\.[0-9A-Za-z_.-]+/g, '[redacted]'],
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  // Vendors echo the key the caller sent ("Incorrect API key provided: …", "Your api key: ****-key is invalid").
  [/(api[ _-]?key(?: provided)?:\s*)\S+/gi, '$1[redacted]'],
  // A key passed as `?key=` can come back inside an echoed URL.
  [/([?&]key=)[^&\s"]+/gi, '$1[redacted]'],
];

/** Replaces everything in a text that looks like a credential (API keys, bearer tokens, `?key=`) with `[redacted]`. */
export function maskSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
