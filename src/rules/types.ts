import type { RuleInput } from '../config/types';

/** Options of {@link buildDefaultRules}. */
export interface DefaultRulesOptions {
  /** Rules other areas export (pool rules, rate-limit rules), added to the pack. */
  extraRules?: readonly RuleInput[];
  /** Number of CPUs the CPU rule divides by. @default os.availableParallelism() */
  cpuCount?: number;
}
