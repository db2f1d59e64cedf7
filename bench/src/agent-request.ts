// The `agent` workload's request: what a coding agent sends on a late turn of a session, about 100 KB of JSON. A long
// system prompt, ten tools with JSON schemas and forty turns of conversation, the same text every request (an agent
// resends its whole session each turn), so a gateway's per-text caches answer as they would for one busy session.

const PARAGRAPH =
  'The function reads the configuration file, validates each field against the schema, and returns a typed object; ' +
  'errors name the offending key and its line. Callers retry once on a transient read failure, then report it. ';

function text(chars: number, salt: string): string {
  return `${salt}: ${PARAGRAPH.repeat(Math.ceil(chars / PARAGRAPH.length)).slice(0, chars)}`;
}

const TOOLS = Array.from({ length: 10 }, (_, index) => ({
  type: 'function',
  function: {
    name: `tool_${index}`,
    description: text(300, `tool ${index}`),
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: text(200, 'path') }, limit: { type: 'integer', minimum: 1 } },
      required: ['path'],
    },
  },
}));

const MESSAGES = [
  { role: 'system', content: text(8_000, 'system') },
  ...Array.from({ length: 40 }, (_, turn) => ({ role: turn % 2 === 0 ? 'user' : 'assistant', content: text(2_200, `turn ${turn}`) })),
];

// One line of the `agent-unicode` variant: an attribution with an emoji, a dash and an arrow, as agents' prompts carry.
// One non-ASCII character anywhere changes how Node decodes the whole body (docs/benchmarks.md).
const UNICODE_LINE = 'Sign commits with "🤖 Generated with an agent" — and explain each change → why. ';

const UNICODE_MESSAGES = MESSAGES.map((message, index) => (index === 0 ? { ...message, content: `${UNICODE_LINE}${message.content}` } : message));

/**
 * An OpenAI Chat Completions body of an agent's late turn (~100 KB) for `model`: pure ASCII, or with one line of
 * non-ASCII text at the start of its system prompt (`unicode`).
 */
export function agentBody(model: string, unicode = false): string {
  return JSON.stringify({ model, messages: unicode ? UNICODE_MESSAGES : MESSAGES, tools: TOOLS, tool_choice: 'auto', max_tokens: 1024, temperature: 0.2 });
}
