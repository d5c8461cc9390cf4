import type { z } from 'zod';
import { configSchema } from './schema';
import { missingPeerProblems } from './peer-requirements';
import type { ConfigProblem, PulseguardConfig, PulseguardConfigInput } from './types';

// Values at these paths are secrets: a type error there must not echo the value.
const SECRET_PATH = /(token|password|secret|hash|session|webhookUrl|headers|url)/i;

/** Thrown by start() and `pulseguard check` when the configuration is invalid; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid pulseguard configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'));
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function formatIssue(issue: z.core.$ZodIssue & { input?: unknown }): ConfigProblem[] {
  const path = issue.path.map(String).join('.') || '(root)';
  const secret = SECRET_PATH.test(path);
  switch (issue.code) {
    case 'invalid_type': {
      const got = issue.input === undefined ? 'nothing' : secret ? `a ${typeof issue.input} (value hidden)` : describe(issue.input);
      const what = issue.input === undefined ? 'is required' : `expected ${issue.expected}, got ${got}`;
      return [{ path, message: what }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: path === '(root)' ? k : `${path}.${k}`, message: 'unknown option (check the spelling; see docs/configuration.md)' }));
    case 'invalid_value':
      return [{ path, message: `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${secret ? '' : `, got ${describe(issue.input)}`}` }];
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * Validates a configuration and fills in defaults; returns every problem instead of the first,
 * including a configured feature whose optional package (ioredis, nodemailer) is not installed.
 */
export function validateConfig(input: unknown): { ok: true; config: PulseguardConfig } | { ok: false; problems: ConfigProblem[] } {
  const result = configSchema.safeParse(input ?? {}, { reportInput: true });
  if (result.success) {
    const missing = missingPeerProblems(result.data);
    return missing.length === 0 ? { ok: true, config: result.data } : { ok: false, problems: missing };
  }
  return { ok: false, problems: result.error.issues.flatMap((i) => formatIssue(i)) };
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
