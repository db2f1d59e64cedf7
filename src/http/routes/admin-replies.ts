import type { FastifyReply } from 'fastify';
import { z } from 'zod';

const WINDOW_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest window a stats query may span. */
const MAX_WINDOW_MS = 90 * WINDOW_UNITS_MS.d;

/** A duration such as `15m`, `1h` or `7d`, parsed to milliseconds (1 s to 90 d). */
export const windowSchema = z
  .string()
  .regex(/^\d+[smhd]$/, 'expected a duration such as 15m, 1h or 7d')
  .transform((value) => Number(value.slice(0, -1)) * WINDOW_UNITS_MS[value.slice(-1) as keyof typeof WINDOW_UNITS_MS])
  .refine((ms) => ms > 0 && ms <= MAX_WINDOW_MS, 'window must be between 1s and 90d');

/** An admin API error: `{"error":{"code","message"}}` with the status. */
export function sendAdminError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/** The first validation issue as `field: message`, naming the query parameter at fault. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid query';
  return `${issue.path.map(String).join('.') || 'query'}: ${issue.message}`;
}
