import { redactString } from '../logging/redaction';
import type { HealthErrorCode } from './check-types';

/** What one run of a check produced: a value, or the reason there is none. @internal */
export interface RunOutcome<T> {
  value: T | undefined;
  errorCode: HealthErrorCode | undefined;
  /** Redacted error text when errorCode is set. */
  error: string | undefined;
  /** ISO time the run finished. */
  time: string;
  durationMs: number;
  cached: boolean;
}

/** @internal */
export interface CheckRunnerOptions {
  timeoutMs: number;
  cacheTtlMs: number;
  /** Injected clock (ms) for the cache; tests pass a fake one. @default Date.now */
  now?: () => number;
}

/**
 * Runs one check so that a slow or broken dependency cannot make the health endpoint slow or
 * crash it:
 * - timeout: the answer comes after at most `timeoutMs` (the check's AbortSignal fires then);
 * - cache: a result is reused for `cacheTtlMs`, so a scrape storm runs the check once;
 * - single-flight: concurrent callers share one run;
 * - a call that hung past its timeout is not started again while it is still pending (that would
 *   pile up one stuck query per cache period); the check fails fast with CHECK_STILL_RUNNING.
 * A throw or rejection becomes an outcome; run() never rejects.
 *
 * @internal
 */
export class CheckRunner<T> {
  private cached: RunOutcome<T> | undefined;
  private cachedAt = 0;
  private inflight: Promise<RunOutcome<T>> | undefined;
  private hungSince: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly fn: (signal: AbortSignal) => T | Promise<T>,
    private readonly options: CheckRunnerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The cached outcome if fresh, the running one if any, else a new run. */
  run(): Promise<RunOutcome<T>> {
    if (this.cached && this.now() - this.cachedAt < this.options.cacheTtlMs) {
      return Promise.resolve({ ...this.cached, cached: true });
    }
    if (this.inflight) return this.inflight;
    const p = this.execute().then((outcome) => {
      this.cached = outcome;
      this.cachedAt = this.now();
      this.inflight = undefined;
      return outcome;
    });
    this.inflight = p;
    return p;
  }

  /** Forgets the cached result (the next run() calls the check). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async execute(): Promise<RunOutcome<T>> {
    const started = performance.now();
    if (this.hungSince !== undefined) {
      return this.outcome(undefined, 'CHECK_STILL_RUNNING', `previous run still pending after ${Math.round(this.now() - this.hungSince)} ms`, started);
    }
    const controller = new AbortController();
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(this.fn(controller.signal));
    } catch (err) {
      return this.outcome(undefined, 'CHECK_THREW', errorText(err), started);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, this.options.timeoutMs, 'timeout');
      timer.unref();
    });
    try {
      const first = await Promise.race([pending.then((value) => ({ value })), timedOut]);
      if (first === 'timeout') {
        controller.abort(new Error(`health check timed out after ${this.options.timeoutMs} ms`));
        this.markHung(pending);
        return this.outcome(undefined, 'CHECK_TIMEOUT', `timed out after ${this.options.timeoutMs} ms`, started);
      }
      return this.outcome(first.value, undefined, undefined, started);
    } catch (err) {
      return this.outcome(undefined, 'CHECK_THREW', errorText(err), started);
    } finally {
      clearTimeout(timer);
    }
  }

  private markHung(pending: Promise<T>): void {
    this.hungSince = this.now();
    const clear = (): void => {
      this.hungSince = undefined;
    };
    pending.then(clear, clear);
  }

  private outcome(value: T | undefined, errorCode: HealthErrorCode | undefined, error: string | undefined, started: number): RunOutcome<T> {
    return { value, errorCode, error, time: new Date().toISOString(), durationMs: performance.now() - started, cached: false };
  }
}

/** An error's message with secrets removed (connection strings carry passwords). @internal */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return redactString(text);
}
