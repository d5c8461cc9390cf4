import type { z } from 'zod/v3';
import { didYouMean } from '../internal/did-you-mean';
import { optionsAt } from './options-at';
import { configErrorMap, describe, SECRET_PATH } from './issue-messages';
import { configSchema } from './schema';
import type { ConfigProblem } from './types';

/**
 * The configuration's problems, worded: zod parses the input again (the compiled schema that
 * validated it first only says whether it is valid) and each issue becomes a problem naming the
 * path, the value (unless secret) and, for a misspelt option, the one it was probably meant to be.
 * Loaded only when a configuration is invalid.
 */

/** The value at an issue's path in the configuration as written: zod 3 issues do not carry it. */
function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function formatIssue(issue: z.ZodIssue, input: unknown, schema: z.ZodTypeAny): ConfigProblem[] {
  const path = issue.path.map(String).join('.') || '(root)';
  const secret = SECRET_PATH.test(path);
  const value = valueAt(input, issue.path);
  const got = secret ? '' : `, got ${describe(value)}`;
  switch (issue.code) {
    case 'invalid_type':
    case 'not_finite': { // Infinity: a wrong type to zod 4, reported the same way
      if (value === undefined) return [{ path, message: 'is required' }];
      const expected = issue.code === 'invalid_type' ? issue.expected : 'number';
      return [{ path, message: `expected ${expected}, got ${secret ? `a ${typeof value} (value hidden)` : describe(value)}` }];
    }
    case 'unrecognized_keys': {
      const known = optionsAt(schema, issue.path);
      return issue.keys.map((k) => {
        const near = didYouMean(k, known);
        const message = near ? `unknown option; did you mean "${near}"? (see docs/configuration.md)` : 'unknown option (check the spelling; see docs/configuration.md)';
        return { path: path === '(root)' ? k : `${path}.${k}`, message };
      });
    }
    case 'invalid_enum_value':
      return [{ path, message: `expected one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}${got}` }];
    case 'invalid_literal':
      return [{ path, message: `expected ${JSON.stringify(issue.expected)}${got}` }];
    case 'invalid_union': {
      // zod 3 says only "Invalid input": name the problems of the option the value was written for
      // (the one that failed inside it), else the types the value may have.
      const inside = issue.unionErrors.filter((e) => e.issues.some((i) => i.path.length > issue.path.length));
      if (inside.length === 1) return inside[0].issues.flatMap((i) => formatIssue(i, input, schema));
      if (value === undefined) return [{ path, message: 'is required' }];
      const expected = issue.unionErrors.flatMap((e) => e.issues).map((i) => i.code === 'invalid_type' ? i.expected : i.code === 'invalid_literal' ? JSON.stringify(i.expected) : '');
      return [{ path, message: expected.includes('') ? issue.message : `expected ${[...new Set(expected)].join(' or ')}${got}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * The problems of a configuration the compiled schema declined, or the resolved configuration when
 * zod accepts it after all (a value the compiled schema leaves to zod, such as a silence's ISO date).
 */
export function configProblems(written: unknown): { ok: true; config: unknown } | { ok: false; problems: ConfigProblem[] } {
  const schema = configSchema();
  const result = schema.safeParse(written, { errorMap: configErrorMap });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problems: result.error.issues.flatMap((i) => formatIssue(i, written, schema)) };
}
