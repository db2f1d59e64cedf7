import { z } from 'zod';
import { boundText, joinText, type CanonicalRequest, type Message } from '../core/index.js';
import type { ComparisonJudgement, ComparisonLeg } from '../ports/comparison.js';

/** Each message and each answer the judge reads is cut to this many characters, so one huge leg cannot crowd it out. */
const MAX_JUDGED_TEXT = 20_000;

/** The judge answers in a few sentences of JSON. */
const JUDGE_MAX_TOKENS = 1024;

const judgementSchema = z.object({
  scores: z
    .array(z.object({ leg: z.number().int().min(0), score: z.number().min(0).max(1), reason: z.string().max(2000).optional() }))
    .max(64),
});

function messageText(message: Message): string {
  return boundText(joinText(message.content as ReadonlyArray<{ type: string; text?: string }>), MAX_JUDGED_TEXT);
}

/**
 * The request the judge model gets: the rubric and answer format as its instructions, then the conversation the legs
 * answered and every answer, labelled by leg number only (model names are left out so they cannot sway the score).
 */
export function judgeRequest(original: CanonicalRequest, legs: readonly ComparisonLeg[], judge: { model: string; rubric: string }): CanonicalRequest {
  const conversation = original.messages.map((message) => `${message.role}: ${messageText(message)}`).join('\n');
  const answers = legs
    .filter((leg) => leg.output !== undefined && leg.error === undefined)
    .map((leg) => `### Answer ${leg.leg}\n${boundText(leg.output ?? '', MAX_JUDGED_TEXT)}`)
    .join('\n\n');
  const instructions =
    'You grade answers to a request against a rubric. Score every answer from 0 (fails the rubric) to 1 (fully meets it). ' +
    'Reply with JSON only, in this form: {"scores":[{"leg":<answer number>,"score":<0..1>,"reason":"<one sentence>"}]}\n\n' +
    `Rubric: ${judge.rubric}`;
  return {
    model: judge.model,
    messages: [
      { role: 'system', content: [{ type: 'text', text: instructions }] },
      { role: 'user', content: [{ type: 'text', text: `## Request\n${conversation}\n\n## Answers\n${answers}` }] },
    ],
    maxOutputTokens: JUDGE_MAX_TOKENS,
    temperature: 0,
    stream: false,
  };
}

/**
 * The judge's scores from its answer: the outermost JSON object in the text (code fences and prose around it are
 * ignored), one score per leg that answered; undefined when the text holds no such object.
 */
export function parseJudgement(text: string, legs: readonly ComparisonLeg[]): ComparisonJudgement['scores'] | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(start, end + 1));
  } catch {
    return undefined;
  }
  const parsed = judgementSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const scores: ComparisonJudgement['scores'] = [];
  for (const { leg, score, reason } of parsed.data.scores) {
    const judged = legs.find((candidate) => candidate.leg === leg && candidate.error === undefined);
    if (!judged || scores.some((entry) => entry.leg === leg)) continue;
    scores.push({ leg, model: judged.model, score, ...(reason === undefined ? {} : { reason }) });
  }
  return scores.length > 0 ? scores : undefined;
}
