/**
 * The text of the commonest stream chunk — one choice (index 0) whose delta holds nothing but `content` text (and
 * perhaps `role`), no finish reason, no usage — or undefined for any other shape. The decoder takes this path without
 * schema validation because it reads only fields checked here; every other chunk still goes through the zod schema.
 */
export function plainTextDelta(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const chunk = value as { choices?: unknown; usage?: unknown; x_groq?: unknown };
  if ((chunk.usage !== undefined && chunk.usage !== null) || chunk.x_groq !== undefined) return undefined;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice: unknown = choices[0];
  if (typeof choice !== 'object' || choice === null) return undefined;
  const { delta, finish_reason: finish, index } = choice as { delta?: unknown; finish_reason?: unknown; index?: unknown };
  if ((finish !== undefined && finish !== null) || (index !== undefined && index !== null && index !== 0)) return undefined;
  if (typeof delta !== 'object' || delta === null) return undefined;
  const fields = delta as Record<string, unknown>;
  for (const key in fields) {
    if (key === 'content' || key === 'role') continue;
    if ((key === 'refusal' || key === 'reasoning_content' || key === 'tool_calls') && fields[key] === null) continue;
    return undefined;
  }
  return typeof fields.content === 'string' ? fields.content : undefined;
}
