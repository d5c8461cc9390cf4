import type { ObservedValue } from '../../../src/metrics/hot-metrics';
import type { PgPoolInternals } from '../internal-types';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_CLIENT_CONNECTION_STATE, DB_CLIENT_CONNECTION_STATE_VALUE_IDLE,
  DB_CLIENT_CONNECTION_STATE_VALUE_USED, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
} from '../semconv';
import { poolNameOf } from '../utils';
import { BaseCollector } from './base-collector';

/** A tracked pool and its (pre-built, reused) attribute objects. */
interface TrackedPool {
  pool: PgPoolInternals;
  name: string;
}

/**
 * Connection-pool metrics, read from the pool's own counters at collect time.
 *
 * instrumentation-pg updates up-down counters from pool events, and pg-pool emits `release`
 * before the client is back in the idle list, so a quiet pool keeps reporting used=1 there.
 * Reading `totalCount`/`idleCount`/`waitingCount` when a reader collects cannot lag, and costs
 * nothing per query.
 */
export class PoolCollector extends BaseCollector {
  private readonly pools = new Set<TrackedPool>();
  private readonly byPool = new WeakMap<object, TrackedPool>();

  constructor() {
    super();
    const unit = '{connection}';
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_COUNT, unit,
      description: 'The number of connections that are currently in state described by the state attribute.' },
    () => this.read((p, name) => {
      const idle = p.idleCount;
      return [
        { value: p.totalCount - idle, attributes: { [ATTR_DB_CLIENT_CONNECTION_STATE]: DB_CLIENT_CONNECTION_STATE_VALUE_USED, [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name } },
        { value: idle, attributes: { [ATTR_DB_CLIENT_CONNECTION_STATE]: DB_CLIENT_CONNECTION_STATE_VALUE_IDLE, [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name } },
      ];
    }), 'updown');
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, unit,
      description: 'The number of current pending requests for an open connection.' },
    () => this.read((p, name) => [{ value: p.waitingCount, attributes: { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name } }]), 'updown');
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_MAX, unit, description: 'The maximum number of open connections allowed.' },
      () => this.read((p, name) => [{ value: maxOf(p), attributes: { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name } }]), 'updown');
    this.registry.observe({ name: METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE, unit,
      description: 'Connections the pool can hand out without making a caller wait (max - used).' },
    () => this.read((p, name) => [{ value: availableOf(p), attributes: { [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name } }]), 'gauge');
  }

  /** Starts reporting a pool (idempotent). Returns false when it was already tracked. */
  track(pool: PgPoolInternals): boolean {
    if (this.byPool.has(pool)) return false;
    const t: TrackedPool = { pool, name: poolNameOf(pool.options) };
    this.byPool.set(pool, t);
    this.pools.add(t);
    return true;
  }

  /** Stops reporting a pool (pool.end(), or the instrumentation was disabled). */
  untrack(pool: PgPoolInternals): void {
    const t = this.byPool.get(pool);
    if (t === undefined) return;
    this.pools.delete(t);
    this.byPool.delete(pool);
  }

  /** Stops reporting every pool. */
  clear(): void {
    for (const t of this.pools) this.byPool.delete(t.pool);
    this.pools.clear();
  }

  /** Pools currently reported. */
  get size(): number {
    return this.pools.size;
  }

  private read(points: (pool: PgPoolInternals, name: string) => ObservedValue[]): ObservedValue[] {
    const out: ObservedValue[] = [];
    for (const t of this.pools) {
      if (t.pool.ending === true) {
        // An ended pool is gone for good; drop it here rather than patching pool.end().
        this.untrack(t.pool);
        continue;
      }
      out.push(...points(t.pool, t.name));
    }
    return out;
  }
}

/** The pool's configured maximum (pg-pool defaults to 10). */
export function maxOf(pool: Pick<PgPoolInternals, 'options'>): number {
  return typeof pool.options?.max === 'number' ? pool.options.max : 10;
}

/** Connections that can be handed out without waiting: `max - (total - idle)`, never negative. */
export function availableOf(pool: Pick<PgPoolInternals, 'options' | 'totalCount' | 'idleCount'>): number {
  return Math.max(0, maxOf(pool) - (pool.totalCount - pool.idleCount));
}
