import { readFileSync } from 'node:fs';

/** A recorded agent request shape: the path, the headers the agent sends, and the JSON body. */
export interface AgentRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Loads a recorded request shape from `__fixtures__` (our own text; the agents' structure and field names). */
export function agentFixture(name: string): AgentRequest {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as AgentRequest;
}

/** One SSE frame: its `event:` name (empty when none) and its parsed JSON data. */
export interface SseFrame {
  event: string;
  data: Record<string, unknown>;
}

/** Splits an SSE body into frames with JSON data. */
export function parseSse(text: string): SseFrame[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.includes('data:'))
    .map((frame) => {
      const lines = frame.split(/\r?\n/);
      const event = lines.find((line) => line.startsWith('event:'))?.slice(6).trim() ?? '';
      const data = lines.filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trim()).join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** Sends a recorded request to the gateway exactly as the agent would (raw fetch with its headers). */
export async function replay(gatewayUrl: string, request: AgentRequest, body: Record<string, unknown> = request.body): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${gatewayUrl}${request.path}`, { method: 'POST', headers: request.headers, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
