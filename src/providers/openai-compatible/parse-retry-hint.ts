const HINT = /try again in\s+((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i;
const UNIT = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a retry delay from a rate-limit message such as "Please try again in 84ms", "in 1.5s" or "in 6m0s"
 * (OpenAI and Groq put it only in the text). Undefined when there is none.
 */
export function parseRetryHint(message: string | undefined): number | undefined {
  const match = message === undefined ? null : HINT.exec(message);
  if (!match) return undefined;
  let total = 0;
  for (const [, amount, unit] of (match[1] as string).matchAll(UNIT)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
  }
  return Math.round(total);
}
