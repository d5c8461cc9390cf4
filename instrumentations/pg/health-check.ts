import { performance } from 'node:perf_hooks';
import { withTimeout } from '../../src/internal/safe-call';
import type { DbHealthCheckOptions, DbHealthCheckPool, DbHealthCheckResult } from './types';
import { errorTypeOf } from './utils';
import { availableOf, maxOf } from './metrics/pool-collector';

/**
 * The `SELECT 1` in flight per pool. A timed-out probe stays queued in an exhausted pool until a
 * connection frees up; checks that come meanwhile share it instead of adding waiters (which would
 * make the exhaustion, and the pending_requests metric, worse with every /health hit).
 */
const inFlight = new WeakMap<DbHealthCheckPool, Promise<unknown>>();

function probe(pool: DbHealthCheckPool): Promise<unknown> {
  let p = inFlight.get(pool);
  if (p === undefined) {
    p = Promise.resolve()
      .then(() => pool.query('SELECT 1'))
      .finally(() => inFlight.delete(pool));
    inFlight.set(pool, p);
  }
  return p;
}

/** Defaults: the spec's thresholds.database.queryTime and thresholds.pools.database. */
export const DEFAULT_HEALTH_CHECK_OPTIONS: Required<DbHealthCheckOptions> = {
  timeoutMs: 5000,
  warnLatencyMs: 100,
  minAvailable: 2,
  maxWaitingClients: 10,
};

/**
 * The database health check for /health: `SELECT 1` through the pool with a timeout, plus pool
 * saturation. `fail` when the query fails or times out (server down, refusing connections, pool
 * exhausted past the timeout); `warn` when it answered but slower than `warnLatencyMs`, fewer than
 * `minAvailable` connections are left, or more than `maxWaitingClients` callers wait; else `pass`.
 * Never rejects.
 *
 * ```ts
 * telemetry.health.register('database', () => checkDatabase(pool));
 * ```
 */
export async function checkDatabase(pool: DbHealthCheckPool, options: DbHealthCheckOptions = {}): Promise<DbHealthCheckResult> {
  const o = { ...DEFAULT_HEALTH_CHECK_OPTIONS, ...options };
  const start = performance.now();
  let output: string | undefined;
  let status: DbHealthCheckResult['status'] = 'pass';
  let observedValue: number;
  try {
    await withTimeout(probe(pool), o.timeoutMs, 'database health check');
    observedValue = performance.now() - start;
  } catch (err) {
    observedValue = performance.now() - start;
    status = 'fail';
    // The message of a pg or network error names host and port at most, never credentials;
    // still, only its code and first line go out, since /health may be public.
    const message = err instanceof Error ? err.message.split('\n')[0].slice(0, 200) : String(err).slice(0, 200);
    output = `${errorTypeOf(err)}: ${message}`;
  }
  const max = maxOf({ options: pool.options ?? {} });
  const total = pool.totalCount;
  const idle = pool.idleCount;
  const waiting = pool.waitingCount;
  const available = availableOf({ options: pool.options ?? {}, totalCount: total, idleCount: idle });
  if (status === 'pass') {
    const reasons: string[] = [];
    if (observedValue > o.warnLatencyMs) reasons.push(`SELECT 1 took ${observedValue.toFixed(1)} ms (> ${o.warnLatencyMs} ms)`);
    if (available < o.minAvailable) reasons.push(`${available} connections available (< ${o.minAvailable})`);
    if (waiting > o.maxWaitingClients) reasons.push(`${waiting} callers waiting for a connection (> ${o.maxWaitingClients})`);
    if (reasons.length > 0) {
      status = 'warn';
      output = reasons.join('; ');
    }
  }
  const result: DbHealthCheckResult = {
    status,
    observedValue: Math.round(observedValue * 100) / 100,
    observedUnit: 'ms',
    componentType: 'datastore',
    time: new Date().toISOString(),
    pool: { total, idle, waiting, max, available },
  };
  if (output !== undefined) result.output = output;
  return result;
}
