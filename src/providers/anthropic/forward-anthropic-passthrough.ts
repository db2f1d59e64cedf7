import { z } from 'zod';
import { droppedParameter, isRecord } from '../../core/index.js';
import type { Warning } from '../../core/index.js';
import type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';

/** A client Anthropic body ready to forward, and what had to change for the upstream's API version. */
export interface AnthropicPassthrough {
  body: Record<string, unknown>;
  warnings: Warning[];
}

const SAMPLING_FIELDS = ['temperature', 'top_p', 'top_k'] as const;

const textBlockSchema = z.looseObject({ type: z.literal('text'), text: z.string() });
const systemContentSchema = z.union([z.string(), z.array(textBlockSchema)]);
const systemMessageSchema = z.looseObject({ role: z.literal('system'), content: systemContentSchema });

function toTextBlocks(content: z.infer<typeof systemContentSchema>): Array<Record<string, unknown>> {
  if (typeof content !== 'string') return content;
  return content === '' ? [] : [{ type: 'text', text: content }];
}

/**
 * 2023-06-01 has no `role: "system"` entries in `messages` (2026-10-21 has), so they are appended, in order, to the
 * top-level `system`. Their position in the conversation is lost, hence the warning.
 */
function hoistSystemMessages(body: Record<string, unknown>, warnings: Warning[]): void {
  // Checked by role first: validating every message of a long agent conversation with zod, each request, to find none.
  if (!Array.isArray(body.messages) || !body.messages.some((message) => isRecord(message) && message.role === 'system')) return;
  const hoisted: Array<Record<string, unknown>> = [];
  const kept: unknown[] = [];
  for (const message of body.messages) {
    const system = systemMessageSchema.safeParse(message);
    if (system.success) hoisted.push(...toTextBlocks(system.data.content));
    else kept.push(message);
  }
  if (kept.length === body.messages.length) return;
  const existing = systemContentSchema.safeParse(body.system);
  body.system = [...(existing.success ? toTextBlocks(existing.data) : []), ...hoisted];
  body.messages = kept;
  warnings.push({
    code: 'parameter_translated',
    param: 'messages',
    message: 'role "system" messages moved into the top-level system prompt for anthropic-version 2023-06-01',
  });
}

/**
 * Same-format pass-through: forwards the client's body with every field kept and only `model` replaced, adapting
 * it to the upstream's API version (sampling fields dropped for 2026-10-21, system messages hoisted for 2023-06-01).
 */
export function forwardAnthropicPassthrough(
  clientBody: Record<string, unknown>,
  model: string,
  version: AnthropicApiVersion,
): AnthropicPassthrough {
  const body: Record<string, unknown> = { ...clientBody, model };
  const warnings: Warning[] = [];
  if (version === '2026-10-21') {
    for (const field of SAMPLING_FIELDS) {
      if (body[field] === undefined) continue;
      delete body[field];
      warnings.push(droppedParameter(field, 'Anthropic', 'anthropic-version 2026-10-21 has no sampling parameters'));
    }
  } else {
    hoistSystemMessages(body, warnings);
  }
  return { body, warnings };
}
