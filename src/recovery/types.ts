import type { Logger } from '../logging/logger';

/** What a procedure gets when it runs. */
export interface RecoveryContext {
  /** The thing being recovered (a connection id, a session name, an alert's label value). */
  target: string;
  /** Why it runs (an alert name, or "manual"). */
  reason: string;
  /** Aborted when the run times out: stop work and return. */
  signal: AbortSignal;
  logger: Logger;
  /** Runs one named step, recorded as a span event with its duration and outcome. */
  step<T>(name: string, fn: () => Promise<T> | T): Promise<T>;
}

/** A recovery procedure: a function, registered by name. */
export type RecoveryProcedure = (ctx: RecoveryContext) => Promise<void> | void;

/** How a run ended (the `outcome` attribute of pulseguard.recovery.runs). */
export type RecoveryOutcome = 'succeeded' | 'failed' | 'timeout' | 'rate_limited' | 'unknown_procedure' | 'still_running';

/** The result of one run. */
export interface RecoveryRun {
  procedure: string;
  target: string;
  reason: string;
  outcome: RecoveryOutcome;
  startedAt: Date;
  durationMs: number;
  steps: Array<{ name: string; ok: boolean; durationMs: number; error?: string }>;
  error?: string;
}

/** Options of a manual or rule-driven run. */
export interface RunOptions {
  target?: string;
  reason?: string;
}
