import { reportInternalError } from './internal-errors';

/**
 * Runs a function pulseguard does not trust (a user hook, a health check, a recovery step, or an
 * instrumentation's own patch body) so that a throw is contained, counted and logged once, and
 * never reaches the host application.
 *
 * @internal
 */
export function safeCall<A extends unknown[], R>(component: string, fn: (...args: A) => R, ...args: A): R | undefined {
  try {
    return fn(...args);
  } catch (err) {
    reportInternalError(component, err);
    return undefined;
  }
}

/** Like {@link safeCall} for async functions: a rejection is contained too. @internal */
export async function safeCallAsync<A extends unknown[], R>(
  component: string,
  fn: (...args: A) => Promise<R> | R,
  ...args: A
): Promise<R | undefined> {
  try {
    return await fn(...args);
  } catch (err) {
    reportInternalError(component, err);
    return undefined;
  }
}

/** Rejects with a timeout error when `promise` takes longer than `ms`; the timer is unref()ed. @internal */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The error {@link withTimeout} rejects with. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}
