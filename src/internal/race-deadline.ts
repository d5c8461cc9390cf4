/** How a task raced against a deadline ended. @internal */
export type DeadlineOutcome<T> = { status: 'done'; value: T } | { status: 'timeout' } | { status: 'failed'; error: unknown };

/**
 * Runs `task` against a deadline and never rejects. The timer is ref'ed on purpose (unlike
 * pulseguard's other timers): it runs on a crash or at shutdown, when the process must not drain
 * its event loop and exit while the flush, the crash alert or the fleet's claims in flight are
 * still under way.
 *
 * @internal
 */
export async function raceDeadline<T>(task: () => Promise<T> | T, deadlineMs: number): Promise<DeadlineOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<DeadlineOutcome<T>>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'timeout' }), deadlineMs);
  });
  try {
    return await Promise.race([
      Promise.resolve().then(task).then((value): DeadlineOutcome<T> => ({ status: 'done', value }), (error: unknown): DeadlineOutcome<T> => ({ status: 'failed', error })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
