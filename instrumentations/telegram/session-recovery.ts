import { backoffDelay } from '../../src/internal/backoff';
import type { Logger } from '../../src/logging/logger';
import { connectWithin, isDestroyed, otherLiveClient } from './client-control';
import { telegramCollectors } from './collectors';
import { sleepFor, withDeadline, type MonitorClock } from './deadline';
import { RECONNECT_REASON_VALUE_RECOVERY } from './semconv';
import type { MonitoredClient } from './session-monitor-types';

/** What a recovery needs from its monitor. @internal */
export interface RecoveryDeps<C extends MonitoredClient> {
  backoff: { initialMs: number; maxRetries: number; maxMs: number; jitter: number };
  stepTimeoutMs: number;
  clock: MonitorClock;
  /** Replaces the backoff sleep (tests). */
  sleep: ((ms: number) => Promise<void>) | undefined;
  logger: Logger | undefined;
  /** Name of the session, for log lines. */
  sessionId: string;
  signal: AbortSignal;
  /** Takes or renews the session's lease; false when another owner holds it. */
  holdLease(client: C): Promise<boolean>;
}

/** How a recovery ended; `abandoned` says why the monitor must let the client go. @internal */
export type RecoveryOutcome = { action: 'recovered' | 'recovery_failed' } | { action: 'abandoned'; why: string };

/**
 * The spec's recoverSession: reconnect with backoff, verify with a cheap call (getMe), restore
 * the update handlers the client lost. Each step has a deadline; before each attempt the
 * session's lease is renewed, and a client the app destroyed (or whose session another client of
 * this process now runs) is abandoned, never reconnected. @internal
 */
export async function recoverSession<C extends MonitoredClient>(client: C, deps: RecoveryDeps<C>): Promise<RecoveryOutcome> {
  const { signal, clock, logger, sessionId } = deps;
  const handlers = [...client.listEventHandlers()];
  const { initialMs, maxRetries, maxMs, jitter } = deps.backoff;
  const step = deps.stepTimeoutMs;
  for (let attempt = 0; attempt < maxRetries; attempt++) {
    if (isDestroyed(client) || signal.aborted) return { action: 'abandoned', why: 'the app destroyed the client' };
    if (otherLiveClient(client) !== undefined) return { action: 'abandoned', why: 'another client of this process runs the same session' };
    if (!(await deps.holdLease(client))) {
      logger?.error({ session: sessionId }, 'Telegram recovery refused: another process holds the session lease');
      return { action: 'recovery_failed' };
    }
    try {
      telegramCollectors().connection.recordReconnect(RECONNECT_REASON_VALUE_RECOVERY);
      await withDeadline(client.disconnect(), step, 'disconnect', clock, signal);
      await connectWithin(client, step, clock, signal);
      await withDeadline(client.getMe(), step, 'getMe', clock, signal);
      const now = client.listEventHandlers();
      for (const [event, cb] of handlers) {
        if (!now.some(([, c]) => c === cb)) client.addEventHandler(cb as never, event as never);
      }
      logger?.info({ session: sessionId, attempt: attempt + 1 }, 'Telegram session recovered');
      return { action: 'recovered' };
    } catch (err) {
      if (signal.aborted || isDestroyed(client)) return { action: 'abandoned', why: 'the app destroyed the client' };
      logger?.warn({ err, session: sessionId, attempt: attempt + 1 }, 'Telegram session recovery attempt failed');
      const delay = backoffDelay(attempt + 1, { initialMs, maxMs, jitter });
      try {
        await (deps.sleep ? deps.sleep(delay) : sleepFor(delay, clock, signal));
      } catch {
        return { action: 'abandoned', why: 'the monitor was stopped' };
      }
    }
  }
  return { action: 'recovery_failed' };
}
