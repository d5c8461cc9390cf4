/** A monitor step that did not finish within its deadline (or was aborted). */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly step: string, readonly reason: 'timeout' | 'aborted') {
    super(reason === 'timeout' ? `${step}: deadline passed` : `${step}: aborted`);
  }
}

/** Timers the monitor uses; tests pass fake ones. */
export interface MonitorClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; timers are unref()ed because they carry pulseguard's own work, not the app's. */
export const REAL_CLOCK: MonitorClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Settles with `p`, or rejects with a {@link DeadlineError} after `ms` or when `signal` aborts,
 * whichever comes first. GramJS's connect() retries forever by default and getMe() has no
 * timeout, so every step the monitor awaits goes through here: no monitor promise outlives
 * its deadline. `p` itself is not cancelled; callers stop it separately (see client-control.ts).
 */
export function withDeadline<T>(p: Promise<T>, ms: number, step: string, clock: MonitorClock, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) {
    p.catch(() => undefined);
    return Promise.reject(new DeadlineError(step, 'aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const done = (): void => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      done();
      reject(new DeadlineError(step, 'aborted'));
    };
    const timer = clock.setTimeout(() => {
      done();
      reject(new DeadlineError(step, 'timeout'));
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
    p.then((v) => {
      done();
      resolve(v);
    }, (err: unknown) => {
      done();
      reject(err);
    });
  });
}

/** Sleeps `ms` on `clock`, or rejects early when `signal` aborts. */
export function sleepFor(ms: number, clock: MonitorClock, signal?: AbortSignal): Promise<void> {
  return withDeadline(new Promise<never>(() => undefined), ms, 'sleep', clock, signal).catch((err: unknown) => {
    if (err instanceof DeadlineError && err.reason === 'timeout') return;
    throw err;
  });
}
