import type { RedactionRule } from '../config/gateway-config.js';
import type { CanonicalRequest, EmbeddingRequest, Message, TextPart, Warning } from '../core/index.js';

/** The request with matches replaced by `[REDACTED]`, and how many matches each rule had (only rules that matched). */
export interface RedactedRequest {
  request: CanonicalRequest;
  counts: Map<string, number>;
}

const REPLACEMENT = '[REDACTED]';

function redactText(text: string, rules: readonly RedactionRule[], counts: Map<string, number>): string {
  let out = text;
  for (const rule of rules) {
    out = out.replace(rule.pattern, () => {
      counts.set(rule.name, (counts.get(rule.name) ?? 0) + 1);
      return REPLACEMENT;
    });
  }
  return out;
}

function redactParts<T extends { type: string }>(parts: readonly T[], rules: readonly RedactionRule[], counts: Map<string, number>): T[] {
  return parts.map((part) => {
    if (part.type === 'text') {
      const text = (part as unknown as TextPart).text;
      const redacted = redactText(text, rules, counts);
      return redacted === text ? part : { ...part, text: redacted };
    }
    if (part.type === 'tool-result' && 'content' in part && Array.isArray(part.content)) {
      return { ...part, content: redactParts(part.content as Array<{ type: string }>, rules, counts) };
    }
    return part;
  });
}

/**
 * Replaces every match of the rules in the prompt's text (system, user, assistant and tool-result text). A request with
 * a match loses its same-format pass-through body, so only the redacted text can reach the provider.
 */
export function redactPrompt(request: CanonicalRequest, rules: readonly RedactionRule[]): RedactedRequest {
  const counts = new Map<string, number>();
  if (rules.length === 0) return { request, counts };
  const messages = request.messages.map((message) => ({ ...message, content: redactParts<{ type: string }>(message.content, rules, counts) }) as Message);
  if (counts.size === 0) return { request, counts };
  // The client's own body, kept for same-format forwarding, still holds the text as sent: without it the adapter
  // builds the upstream body from the redacted messages.
  const { passthrough: _unredacted, ...redacted } = request;
  return { request: { ...redacted, messages }, counts };
}

/** The embeddings request with matches replaced in every input text, and how many matches each rule had. */
export function redactEmbeddingInput(request: EmbeddingRequest, rules: readonly RedactionRule[]): { request: EmbeddingRequest; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  if (rules.length === 0) return { request, counts };
  const input = request.input.map((text) => redactText(text, rules, counts));
  return { request: counts.size === 0 ? request : { ...request, input }, counts };
}

/** The `prompt_redacted` warning for what the rules matched on the way to a provider. */
export function promptRedactedWarning(providerId: string, counts: ReadonlyMap<string, number>): Warning {
  const summary = [...counts].map(([name, count]) => `${count} ${name}`).join(', ');
  return { code: 'prompt_redacted', message: `redacted before sending to ${providerId}: ${summary}` };
}
