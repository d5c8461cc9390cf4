import { parseValid } from './fast-parse';
import type * as ConfigProblemsModule from './config-problems';
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

/**
 * Validates a configuration and fills in defaults; returns every problem instead of the first,
 * including a configured feature whose optional package (ioredis, nodemailer) is not installed.
 */
export function validateConfig(input: unknown): { ok: true; config: PulseguardConfig } | { ok: false; problems: ConfigProblem[] } {
  const written = input ?? {};
  // A valid configuration never loads zod (issue #17: ~30 ms and ~3 MB of garbage at start); an
  // invalid one is parsed again by zod, whose issues name every problem.
  let config = parseValid<PulseguardConfig>('config', written)?.value;
  if (config === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const slow = (require('./config-problems') as typeof ConfigProblemsModule).configProblems(written);
    if (!slow.ok) return slow;
    config = slow.config as PulseguardConfig;
  }
  const missing = missingPeerProblems(config);
  return missing.length === 0 ? { ok: true, config } : { ok: false, problems: missing };
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
