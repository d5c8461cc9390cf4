import { reportInternalError } from '../../src/internal/internal-errors';
import type { Logger } from '../../src/logging/logger';
import { connectWithin, otherLiveClient, sessionKeyOf } from './client-control';
import { withDeadline, type MonitorClock } from './deadline';
import { classifyError } from './error-classifier';
import { ERROR_KIND_VALUE_SESSION } from './semconv';
import type { SessionLeaseStore } from './session-lease';
import type { TelegramSessionLease, TelegramSessionPool } from './session-pool';

/** The part of a monitored client a failover drives (session-monitor.ts MonitoredClient; no import, no cycle). @internal */
export interface StandbyClient {
  connect(): Promise<unknown>;
  disconnect(): Promise<unknown>;
  getMe(): Promise<unknown>;
}

type MonitoredClient = StandbyClient;

/** What a failover needs from its monitor. @internal */
export interface FailoverDeps<C extends MonitoredClient> {
  pool: TelegramSessionPool;
  createClient: (session: string) => C;
  leases: SessionLeaseStore;
  owner: string;
  clock: MonitorClock;
  stepTimeoutMs: number;
  leaseTtlMs: number;
  logger: Logger | undefined;
  signal: AbortSignal;
}

/** A standby that is connected, verified and leased. @internal */
export interface Standby<C> {
  client: C;
  lease: TelegramSessionLease;
  key: string | undefined;
}

// A pool that keeps handing out sessions in use is tried this often, then the failover fails.
const MAX_CANDIDATES = 3;

/**
 * Leases a standby from the pool and brings it up: its session must not be the one in use, nor
 * run by another client of this process, nor leased by another process; then connect and getMe,
 * each under the step deadline. A standby that fails is disconnected and returned (retired only
 * when the failure was a session error: a DC that is down does not make a session bad).
 *
 * @internal
 */
export async function failoverTo<C extends MonitoredClient>(deps: FailoverDeps<C>, current: C, reason: string): Promise<Standby<C> | undefined> {
  const { pool, clock, stepTimeoutMs: step, signal, logger } = deps;
  const currentKey = sessionKeyOf(current);
  for (let i = 0; i < MAX_CANDIDATES; i++) {
    if (signal.aborted) return undefined;
    const lease = await withDeadline(pool.acquire(), step, 'pool.acquire', clock, signal).catch((err: unknown) => {
      reportInternalError('telegram.session-monitor', err);
      return undefined;
    });
    if (!lease) {
      logger?.error({ reason }, 'Telegram failover impossible: no standby session is free');
      return undefined;
    }
    let next: C | undefined;
    let key: string | undefined;
    let leased = false;
    try {
      next = deps.createClient(lease.session);
      key = sessionKeyOf(next);
      if (key !== undefined && (key === currentKey || otherLiveClient(next, key) !== undefined)) {
        logger?.warn({ standby: lease.id }, 'Telegram failover skipped a standby whose session is in use');
        await release(deps, lease, false);
        continue;
      }
      if (key !== undefined) {
        leased = await withDeadline(deps.leases.acquire(key, deps.owner, deps.leaseTtlMs), step, 'lease', clock, signal);
        if (!leased) {
          logger?.warn({ standby: lease.id }, 'Telegram failover skipped a standby leased by another process');
          await release(deps, lease, false);
          continue;
        }
      }
      await connectWithin(next, step, clock, signal);
      await withDeadline(next.getMe(), step, 'getMe', clock, signal);
      return { client: next, lease, key };
    } catch (err) {
      logger?.error({ err, reason, standby: lease.id }, 'Telegram failover: the standby session failed verification');
      if (next) await withDeadline(next.disconnect(), step, 'disconnect', clock).catch((e: unknown) => reportInternalError('telegram.session-monitor', e));
      if (leased && key !== undefined) {
        await withDeadline(deps.leases.release(key, deps.owner), step, 'lease release', clock).catch((e: unknown) => reportInternalError('telegram.session-monitor', e));
      }
      await release(deps, lease, classifyError(err).kind === ERROR_KIND_VALUE_SESSION);
      return undefined;
    }
  }
  return undefined;
}

function release<C extends MonitoredClient>(deps: FailoverDeps<C>, lease: TelegramSessionLease, retire: boolean): Promise<void> {
  return withDeadline(deps.pool.release(lease, { retire }), deps.stepTimeoutMs, 'pool.release', deps.clock)
    .catch((err: unknown) => reportInternalError('telegram.session-monitor', err));
}
