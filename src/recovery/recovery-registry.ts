import { trace, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { pulseguardMetrics } from '../metrics/registry';
import { METRIC_PULSEGUARD_RECOVERY_RUNS } from '../semconv';
import { redactString } from '../logging/redaction';
import { withTimeout } from '../internal/safe-call';
import type { RecoveryContext, RecoveryOutcome, RecoveryProcedure, RecoveryRun, RunOptions } from './types';

const runsMetric = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_RECOVERY_RUNS,
  description: 'Recovery procedure runs by procedure and outcome.',
  unit: '{run}',
});

const HOUR_MS = 3_600_000;
const MAX_HISTORY = 200;

function message(err: unknown): string {
  return redactString(err instanceof Error ? err.message : String(err));
}

/**
 * Recovery procedures registered by name and run by rules (when their alert fires) or by hand.
 * Single-flight per procedure and target (a second request joins the running one), a cap of runs
 * per hour per procedure and target, a timeout that aborts a hanging procedure, a span per run
 * with an event per step, and pulseguard.recovery.runs{procedure,outcome}. A procedure that
 * throws or hangs is contained and reported; it never throws into the caller.
 */
export class RecoveryRegistry {
  private readonly procedures = new Map<string, RecoveryProcedure>();
  private readonly inFlight = new Map<string, Promise<RecoveryRun>>();
  /**
   * Procedures that timed out but have not settled (they ignored their abort signal), with when
   * they timed out: no new run starts for that procedure and target until the old one settles,
   * the guard the health CheckRunner keeps as `hungSince`.
   */
  private readonly hungSince = new Map<string, number>();
  private readonly recentStarts = new Map<string, number[]>();
  private readonly history: RecoveryRun[] = [];
  private readonly tracer = trace.getTracer('pulseguard');

  constructor(private readonly config: PulseguardConfig['recovery'], private readonly logger: Logger, private readonly now: () => number = Date.now) {}

  /** Registers (or replaces) a procedure. */
  register(name: string, procedure: RecoveryProcedure): void {
    if (typeof procedure !== 'function') throw new TypeError(`recovery procedure "${name}" must be a function`);
    this.procedures.set(name, procedure);
  }

  has(name: string): boolean {
    return this.procedures.has(name);
  }

  names(): string[] {
    return [...this.procedures.keys()];
  }

  /** The last runs, newest last (bounded). */
  runs(): RecoveryRun[] {
    return [...this.history];
  }

  /** Runs a procedure; resolves with the run's result, never rejects. */
  run(name: string, opts: RunOptions = {}): Promise<RecoveryRun> {
    const target = opts.target ?? 'default';
    const reason = opts.reason ?? 'manual';
    const key = `${name}\u0000${target}`;
    const running = this.inFlight.get(key);
    if (running) return running;
    const startedAt = new Date(this.now());
    const hung = this.hungSince.get(key);
    if (hung !== undefined) {
      return Promise.resolve(this.finish({ procedure: name, target, reason, outcome: 'still_running', startedAt, durationMs: 0, steps: [],
        error: `the run that timed out ${Math.round(startedAt.getTime() - hung)} ms ago has not finished` }));
    }
    const procedure = this.procedures.get(name);
    if (!procedure) return Promise.resolve(this.finish({ procedure: name, target, reason, outcome: 'unknown_procedure', startedAt, durationMs: 0, steps: [], error: `no recovery procedure named "${name}"` }));
    const starts = (this.recentStarts.get(key) ?? []).filter((t) => t > startedAt.getTime() - HOUR_MS);
    if (starts.length >= this.config.maxRunsPerHour) {
      this.recentStarts.set(key, starts);
      return Promise.resolve(this.finish({ procedure: name, target, reason, outcome: 'rate_limited', startedAt, durationMs: 0, steps: [],
        error: `cap of ${this.config.maxRunsPerHour} runs per hour reached` }));
    }
    starts.push(startedAt.getTime());
    this.recentStarts.set(key, starts);
    const p = this.tracer.startActiveSpan(`recovery ${name}`, { attributes: { 'pulseguard.recovery.procedure': name, 'pulseguard.recovery.reason': reason } },
      (span) => this.execute(procedure, span, key, { procedure: name, target, reason, startedAt }))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async execute(procedure: RecoveryProcedure, span: Span, key: string, base: Pick<RecoveryRun, 'procedure' | 'target' | 'reason' | 'startedAt'>): Promise<RecoveryRun> {
    const steps: RecoveryRun['steps'] = [];
    const ctrl = new AbortController();
    const ctx: RecoveryContext = {
      target: base.target,
      reason: base.reason,
      signal: ctrl.signal,
      logger: this.logger.child({ procedure: base.procedure }),
      step: async (stepName, fn) => {
        const t0 = Date.now();
        try {
          const r = await fn();
          steps.push({ name: stepName, ok: true, durationMs: Date.now() - t0 });
          span.addEvent(`step ${stepName}`, { ok: true, 'duration_ms': Date.now() - t0 });
          return r;
        } catch (err) {
          steps.push({ name: stepName, ok: false, durationMs: Date.now() - t0, error: message(err) });
          span.addEvent(`step ${stepName}`, { ok: false, 'duration_ms': Date.now() - t0, 'error.message': message(err) });
          throw err;
        }
      },
    };
    let outcome: RecoveryOutcome = 'succeeded';
    let error: string | undefined;
    const t0 = Date.now();
    // The procedure runs on a later tick, so a synchronous throw is contained like a rejection.
    const running = Promise.resolve().then(() => procedure(ctx));
    try {
      await withTimeout(running, this.config.timeoutMs, `recovery procedure "${base.procedure}"`);
    } catch (err) {
      outcome = (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'failed';
      if (outcome === 'timeout') {
        // Stay single-flight until the procedure really stops, whatever it does with its signal.
        this.hungSince.set(key, this.now());
        running.then(() => undefined, () => undefined).finally(() => this.hungSince.delete(key));
      }
      error = message(err);
      ctrl.abort(err);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    } finally {
      span.setAttribute('pulseguard.recovery.outcome', outcome);
      span.end();
    }
    return this.finish({ ...base, outcome, durationMs: Date.now() - t0, steps, error });
  }

  private finish(run: RecoveryRun): RecoveryRun {
    runsMetric.series({ procedure: run.procedure, outcome: run.outcome }).add(1);
    this.history.push(run);
    if (this.history.length > MAX_HISTORY) this.history.shift();
    const log = run.outcome === 'succeeded' ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
    log({ procedure: run.procedure, target: run.target, reason: run.reason, outcome: run.outcome, durationMs: run.durationMs, steps: run.steps.map((s) => `${s.name}:${s.ok ? 'ok' : 'failed'}`), error: run.error },
      `recovery ${run.procedure} ${run.outcome}`);
    return run;
  }
}
