/**
 * Waiting for something the test does not control (a socket closing, GramJS's own loops, a
 * server becoming ready) by polling with a deadline, so no test relies on a fixed sleep and every
 * timeout says what it was waiting for.
 */

/**
 * Resolves with the first value of `read` that is not undefined, polling every `intervalMs`.
 * Throws an Error naming `what` and the timeout once `timeoutMs` has passed without one.
 */
export async function eventually<T>(
  read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 5000, intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once `cond` holds, polling every `intervalMs`; throws naming `what` and the timeout otherwise. */
export async function until(
  cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000, intervalMs = 10,
): Promise<void> {
  await eventually(async () => ((await cond()) ? true : undefined), what, timeoutMs, intervalMs);
}
