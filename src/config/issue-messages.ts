import type { z } from 'zod/v3';

// Values at these paths are secrets: a problem there must not echo the value.
export const SECRET_PATH = /(token|password|secret|hash|session|webhookUrl|headers|url)/i;

/** A value as a problem message shows it: short, and never a whole object. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

const plural = (n: number | bigint, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function bound(issue: z.ZodTooSmallIssue | z.ZodTooBigIssue): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  if (issue.type === 'number') return `a number ${issue.code === 'too_small' ? '>' : '<'}${issue.inclusive ? '=' : ''} ${limit}`;
  const how = issue.exact ? 'exactly' : issue.code === 'too_small' ? 'at least' : 'at most';
  return `${how} ${plural(limit, issue.type === 'string' ? 'character' : 'item')}`;
}

/**
 * The messages of zod's built-in checks (sizes, URLs, date-times) in the "expected …, got …" form
 * of the type errors, naming the value unless it is a secret. A message the schema sets wins: zod
 * asks this map only for the checks that have none.
 */
export const configErrorMap: z.ZodErrorMap = (issue, ctx) => {
  const got = SECRET_PATH.test(issue.path.join('.')) ? '' : `, got ${Array.isArray(ctx.data) ? ctx.data.length : describe(ctx.data)}`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return { message: `expected ${bound(issue)}${got}` };
  if (issue.code === 'invalid_string' && issue.validation === 'url') return { message: `expected a URL${got}` };
  if (issue.code === 'invalid_string' && issue.validation === 'datetime') return { message: `expected an ISO 8601 date-time${got}` };
  return { message: ctx.defaultError };
};
