import type { z } from 'zod/v3';
import type { configSchema } from './schema';
import type { ruleSchema } from './schema/rules';

/** What you write: every section optional except `service.name`. */
export type PulseguardConfigInput = z.input<ReturnType<typeof configSchema>>;
/** The validated configuration with every default filled in. */
export type PulseguardConfig = z.output<ReturnType<typeof configSchema>>;
/** A threshold rule as written. */
export type RuleInput = z.input<ReturnType<typeof ruleSchema>>;
/** A validated rule (durations in milliseconds). */
export type Rule = z.output<ReturnType<typeof ruleSchema>>;

/** One configuration problem: where, and what is wrong. */
export interface ConfigProblem {
  path: string;
  message: string;
}
