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

// The `codex` workload's request: Codex CLI's Responses API body on a late turn, as it sends it (store: false, a
// stream, encrypted reasoning asked back), about 100 KB: long instructions, forty turns of messages with a tool call
// and its output every fourth turn, ten function tools beside the hosted and freeform ones Codex adds.

const RESPONSES_TOOLS = [
  ...TOOLS.map(({ function: tool }) => ({ type: 'function', name: tool.name, description: tool.description, strict: false, parameters: tool.parameters })),
  { type: 'web_search', external_web_access: false },
  { type: 'custom', name: 'apply_patch', description: text(300, 'apply_patch'), format: { type: 'grammar', syntax: 'lark', definition: 'start: /.+/' } },
];

function codexTurn(turn: number): object[] {
  const role = turn % 2 === 0 ? 'user' : 'assistant';
  const message = { type: 'message', role, content: [{ type: role === 'user' ? 'input_text' : 'output_text', text: text(2_000, `turn ${turn}`) }] };
  if (turn % 4 !== 1) return [message];
  const callId = `call_bench_${turn}`;
  return [
    message,
    { type: 'function_call', call_id: callId, name: 'tool_0', arguments: JSON.stringify({ path: `src/file_${turn}.ts` }) },
    { type: 'function_call_output', call_id: callId, output: text(400, `output ${turn}`) },
  ];
}

const CODEX_INPUT = [
  { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>Sandbox: workspace-write. Approvals: on-request.</permissions>' }] },
  { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context><cwd>/home/dev/project</cwd><shell>bash</shell></environment_context>' }] },
  ...Array.from({ length: 40 }, (_, turn) => codexTurn(turn)).flat(),
];

/** Codex CLI's Responses API body of a late turn (~100 KB), streamed, for `model`. */
export function codexBody(model: string): string {
  return JSON.stringify({
    model,
    instructions: text(8_000, 'instructions'),
    input: CODEX_INPUT,
    tools: RESPONSES_TOOLS,
    tool_choice: 'auto',
    parallel_tool_calls: false,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: false,
    stream: true,
    include: ['reasoning.encrypted_content'],
    prompt_cache_key: '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  });
}
