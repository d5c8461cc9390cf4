/** Exponential backoff settings (the spec: from 1 s over 5 tries), with jitter and a cap. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  maxRetries: number;
  /** 0..1: the delay is scaled by a random factor in [1 - jitter, 1 + jitter]. */
  jitter: number;
}

/** Delay before retry number `attempt` (1-based): initial * 2^(attempt-1), capped, jittered. */
export function backoffDelay(attempt: number, o: Pick<BackoffOptions, 'initialMs' | 'maxMs' | 'jitter'>, random: () => number = Math.random): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 - o.jitter + 2 * o.jitter * random())));
}

/** Sleeps `ms`, waking early (rejecting) when `signal` aborts. The timer is unref()ed. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    t.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** What {@link retryWithBackoff} reports per attempt. */
export interface AttemptInfo {
  attempt: number;
  error?: unknown;
  delayMs?: number;
}

/**
 * Calls `fn` until it resolves, at most `maxRetries` times, sleeping with exponential backoff in
 * between; rejects with the last error. `onAttempt` sees every attempt (for spans and metrics).
 */
export async function retryWithBackoff<T>(
  fn: (attempt: number) => Promise<T>,
  o: BackoffOptions & { signal?: AbortSignal; random?: () => number; sleep?: (ms: number, signal?: AbortSignal) => Promise<void>; onAttempt?: (info: AttemptInfo) => void },
): Promise<T> {
  const wait = o.sleep ?? sleep;
  let lastError: unknown;
  for (let attempt = 1; attempt <= o.maxRetries; attempt++) {
    try {
      const result = await fn(attempt);
      o.onAttempt?.({ attempt });
      return result;
    } catch (err) {
      lastError = err;
      if (o.signal?.aborted) throw err;
      const delayMs = attempt < o.maxRetries ? backoffDelay(attempt, o, o.random) : undefined;
      o.onAttempt?.({ attempt, error: err, delayMs });
      if (delayMs !== undefined) await wait(delayMs, o.signal);
    }
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}
