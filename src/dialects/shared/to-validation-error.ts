import type { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import { formatRequestPath } from './format-request-path.js';

type Issue = z.core.$ZodIssue;
type Path = ReadonlyArray<PropertyKey>;

/**
 * Follows union failures into the branch that got furthest, so `content: [{type:'image', source:{}}]` reports
 * `content[0].source.data` rather than "expected string" for the string alternative.
 */
function mostSpecific(issue: Issue, base: Path): { path: Path; message: string } {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_type') return { path, message: issue.message.replace('expected record', 'expected object') };
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { path, message: issue.message };
  const firsts = issue.errors.map((branch) => branch[0]).filter((first): first is Issue => first !== undefined);
  if (firsts.length > 0 && firsts.every((first) => first.code === 'invalid_type' && first.path.length === 0)) {
    const expected = firsts
      .map((first) => (first.code === 'invalid_type' ? first.expected.replace('record', 'object') : ''))
      .join(' or ');
    return { path, message: `Invalid input: expected ${expected}` };
  }
  let best: { path: Path; message: string } | undefined;
  for (const first of firsts) {
    const candidate = mostSpecific(first, path);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ?? { path, message: issue.message };
}

/**
 * Turns a failed zod parse into GatewayError('invalid_request') whose message is `<path>: <problem>` (the Anthropic and
 * Gemini error style) and whose `param` names the exact field.
 */
export function toValidationError(error: z.ZodError): GatewayError {
  const first = error.issues[0];
  if (!first) return new GatewayError('invalid_request', 'Invalid request body');
  const { path, message } = mostSpecific(first, []);
  const param = formatRequestPath(path);
  return new GatewayError('invalid_request', param === '' ? message : `${param}: ${message}`, {
    param: param === '' ? undefined : param,
  });
}
