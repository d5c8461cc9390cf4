import type { z } from 'zod/v3';
import { didYouMean, optionsAt } from './did-you-mean';
import { configErrorMap, describe, SECRET_PATH } from './issue-messages';
import { configSchema } from './schema';
import { missingPeerProblems } from './peer-requirements';
import type { ConfigProblem, PulseguardConfig, PulseguardConfigInput } from './types';

/** Thrown by start() and `pulseguard check` when the configuration is invalid; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid pulseguard configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'));
  }
}

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
 * Validates a configuration and fills in defaults; returns every problem instead of the first,
 * including a configured feature whose optional package (ioredis, nodemailer) is not installed.
 */
export function validateConfig(input: unknown): { ok: true; config: PulseguardConfig } | { ok: false; problems: ConfigProblem[] } {
  const written = input ?? {};
  // Built per call and dropped after: the schema is ~1.3 MB of zod objects a running process needs no more.
  const schema = configSchema();
  const result = schema.safeParse(written, { errorMap: configErrorMap });
  if (result.success) {
    const missing = missingPeerProblems(result.data);
    return missing.length === 0 ? { ok: true, config: result.data } : { ok: false, problems: missing };
  }
  return { ok: false, problems: result.error.issues.flatMap((i) => formatIssue(i, written, schema)) };
}

/** Validates and returns the resolved configuration, or throws a {@link ConfigError} listing every problem. */
export function resolveConfig(input: PulseguardConfigInput | unknown): PulseguardConfig {
  const r = validateConfig(input);
  if (!r.ok) throw new ConfigError(r.problems);
  return r.config;
}

/**
 * Types a configuration written as code. It returns its argument unchanged; validation happens in
 * start() (and `pulseguard check`), where every problem is reported at once.
 */
export function defineConfig(config: PulseguardConfigInput): PulseguardConfigInput {
  return config;
}
