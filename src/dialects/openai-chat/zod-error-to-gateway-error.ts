import type { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import { formatRequestPath } from '../shared/format-request-path.js';

type Issue = z.core.$ZodIssue;

const TYPE_NAMES: Readonly<Record<string, string>> = { int: 'integer', record: 'object' };

function describeType(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function describeValues(values: ReadonlyArray<unknown>): string {
  return `one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;
}

/** What one union branch wanted at the union's own position, e.g. `string` or `one of "auto", "none"`. */
function describeExpectation(issue: Issue): string {
  if (issue.code === 'invalid_type') return describeType(issue.expected);
  if (issue.code === 'invalid_value') return describeValues(issue.values);
  if (issue.code === 'invalid_union' && issue.discriminator !== undefined && 'options' in issue && issue.options) {
    return `object with ${issue.discriminator} ${describeValues(issue.options)}`;
  }
  return 'a valid value';
}

function bound(inclusive: boolean | undefined, strict: string, loose: string): string {
  return inclusive === false ? strict : loose;
}

function describeTooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const min = String(issue.minimum);
  if (issue.origin === 'array') return `expected at least ${min} item${min === '1' ? '' : 's'}`;
  if (issue.origin === 'string') return `expected at least ${min} character${min === '1' ? '' : 's'}`;
  return `expected a number ${bound(issue.inclusive, '>', '>=')} ${min}`;
}

function describeTooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const max = String(issue.maximum);
  if (issue.origin === 'array') return `expected at most ${max} item${max === '1' ? '' : 's'}`;
  if (issue.origin === 'string') return `expected at most ${max} character${max === '1' ? '' : 's'}`;
  return `expected a number ${bound(issue.inclusive, '<', '<=')} ${max}`;
}

/**
 * Picks the union branch whose shape matched (the one that got furthest into the value, else the only one that
 * failed on something other than the type), so a bad image part inside `content: string | parts[]` is reported at
 * the part, and five stop sequences as "at most 4 items", not as "expected string or array".
 */
function matchedBranch(branches: ReadonlyArray<ReadonlyArray<Issue>>): Issue | undefined {
  const heads = branches.map((branch) => branch[0]).filter((head): head is Issue => head !== undefined);
  let deepest: Issue | undefined;
  for (const head of heads) {
    if (head.path.length > 0 && (deepest === undefined || head.path.length > deepest.path.length)) deepest = head;
  }
  if (deepest) return deepest;
  const typeMatched = heads.filter((head) => head.code !== 'invalid_type');
  return typeMatched.length === 1 ? typeMatched[0] : undefined;
}

function messageFor(issue: Issue, path: PropertyKey[]): string {
  const at = formatRequestPath(path);
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `Missing required field: ${at}`
        : `Invalid type at ${at}: expected ${describeType(issue.expected)}`;
    case 'invalid_value':
      return `Invalid value at ${at}: expected ${describeValues(issue.values)}`;
    case 'too_small':
      return `Invalid value at ${at}: ${describeTooSmall(issue)}`;
    case 'too_big':
      return `Invalid value at ${at}: ${describeTooBig(issue)}`;
    case 'invalid_union': {
      if (issue.errors.length === 0) {
        const options = 'options' in issue && issue.options ? issue.options : [];
        return `Invalid value at ${at}: expected ${describeValues(options)}`;
      }
      const heads = issue.errors.map((branch) => branch[0]).filter((head): head is Issue => head !== undefined);
      const allTypes = heads.every((head) => head.code === 'invalid_type');
      const expected = heads.map(describeExpectation).join(' or ');
      return `${allTypes ? 'Invalid type' : 'Invalid value'} at ${at}: expected ${expected}`;
    }
    default:
      return `Invalid value at ${at}`;
  }
}

/** Resolves nested union issues down to the most specific one and its absolute path. */
function resolveIssue(issue: Issue, prefix: PropertyKey[]): { issue: Issue; path: PropertyKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const deeper = matchedBranch(issue.errors);
    if (deeper) return resolveIssue(deeper, path);
  }
  return { issue, path };
}

/** Turns the first validation issue into a client-facing 400 whose message and `param` name the exact field. */
export function zodErrorToGatewayError(error: z.ZodError): GatewayError {
  const first = error.issues[0];
  if (!first) return new GatewayError('invalid_request', 'Invalid request body');
  const { issue, path } = resolveIssue(first, []);
  if (path.length === 0) {
    return new GatewayError('invalid_request', 'Invalid request body: expected a JSON object');
  }
  return new GatewayError('invalid_request', messageFor(issue, path), { param: formatRequestPath(path) });
}
