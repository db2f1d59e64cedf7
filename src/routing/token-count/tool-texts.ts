import type { ToolDefinition } from '../../core/index.js';

/** Tool lists remembered at most, replaced oldest first. */
const MAX_LISTS = 8;
/** A list whose texts hold more characters than this is not remembered, which bounds what the cache holds. */
const MAX_LIST_CHARS = 256 * 1024;
/** Deeper schemas are never found equal, so they are serialised each time (the body parser bounds depth anyway). */
const MAX_DEPTH = 64;

interface RememberedList {
  tools: readonly ToolDefinition[];
  texts: string[];
}

/** The JSON text a tool is counted as. */
function toolText(tool: ToolDefinition): string {
  return JSON.stringify({ name: tool.name, description: tool.description, parameters: tool.parameters });
}

/** Whether two parsed JSON values serialise to the same text: equal, with object keys in the same order. */
function sameJson(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > MAX_DEPTH) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  const others = Object.keys(b);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

function sameTools(a: readonly ToolDefinition[], b: readonly ToolDefinition[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ToolDefinition;
    const y = b[i] as ToolDefinition;
    if (x.name !== y.name || x.description !== y.description || !sameJson(x.parameters, y.parameters, 0)) return false;
  }
  return true;
}

/**
 * The JSON texts a request's tools are counted as, remembered for the tool lists seen last. An agent resends the same
 * tools every turn, and serialising them cost ~25 µs of a 100 KB agent request (V8 checks every character for
 * escaping); comparing the parsed lists costs a tenth of that, and a hit returns the remembered strings, which the
 * token-count cache then finds by identity.
 */
export class ToolTextCache {
  private readonly lists: RememberedList[] = [];
  private next = 0;

  texts(tools: readonly ToolDefinition[]): string[] {
    for (const list of this.lists) if (sameTools(list.tools, tools)) return list.texts;
    const texts = tools.map(toolText);
    let chars = 0;
    for (const text of texts) chars += text.length;
    if (chars > MAX_LIST_CHARS) return texts;
    this.lists[this.next] = { tools, texts };
    this.next = (this.next + 1) % MAX_LISTS;
    return texts;
  }
}
