import type { ObservedValue } from '../../../src/metrics/hot-metrics';
import type { PgPoolInternals } from '../internal-types';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_CLIENT_CONNECTION_STATE, DB_CLIENT_CONNECTION_STATE_VALUE_IDLE,
  DB_CLIENT_CONNECTION_STATE_VALUE_USED, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
} from '../semconv';
import { poolNameOf } from '../utils';
import { BaseCollector } from './base-collector';
import { safeCall } from '../../../src/internal/safe-call';

/** The internal-errors component of a listener's contained fault. */
const PG_COMPONENT = 'pg';

/** A tracked pool and its name (`db.client.connection.pool.name`). */
interface TrackedPool {
  pool: PgPoolInternals;
  name: string;
}

/** Told when a pool starts or stops being reported (the health area registers a check per pool). */
export interface PoolListener {
  tracked(pool: PgPoolInternals, name: string): void;
  untracked(pool: PgPoolInternals): void;
}

/** The numbers of the pools sharing one name, read at collect time. */
interface PoolState {
  used: number;
  idle: number;
  pending: number;
  max: number;
  available: number;
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
  private readonly listeners = new Set<PoolListener>();

  constructor() {
    super();
    const unit = '{connection}';
    const byName = (name: string) => ({ [ATTR_DB_CLIENT_CONNECTION_POOL_NAME]: name });
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_COUNT, unit,
      description: 'The number of connections that are currently in state described by the state attribute.' },
    () => this.read((s, name) => [
      { value: s.used, attributes: { [ATTR_DB_CLIENT_CONNECTION_STATE]: DB_CLIENT_CONNECTION_STATE_VALUE_USED, ...byName(name) } },
      { value: s.idle, attributes: { [ATTR_DB_CLIENT_CONNECTION_STATE]: DB_CLIENT_CONNECTION_STATE_VALUE_IDLE, ...byName(name) } },
    ]), 'updown');
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, unit,
      description: 'The number of current pending requests for an open connection.' },
    () => this.read((s, name) => [{ value: s.pending, attributes: byName(name) }]), 'updown');
    this.registry.observe({ name: METRIC_DB_CLIENT_CONNECTION_MAX, unit, description: 'The maximum number of open connections allowed.' },
      () => this.read((s, name) => [{ value: s.max, attributes: byName(name) }]), 'updown');
    this.registry.observe({ name: METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE, unit,
      description: 'Connections the pool can hand out without making a caller wait (max - used).' },
    () => this.read((s, name) => [{ value: s.available, attributes: byName(name) }]), 'gauge');
  }

  /** Starts reporting a pool (idempotent). Returns false when it was already tracked. */
  track(pool: PgPoolInternals): boolean {
    if (this.byPool.has(pool)) return false;
    const t: TrackedPool = { pool, name: poolNameOf(pool.options) };
    this.byPool.set(pool, t);
    this.pools.add(t);
    for (const l of this.listeners) safeCall(PG_COMPONENT, () => l.tracked(pool, t.name));
    return true;
  }

  /**
   * Subscribes to pools starting and stopping being reported; the pools reported now are told at
   * once. Returns the unsubscribe function.
   */
  subscribe(listener: PoolListener): () => void {
    this.listeners.add(listener);
    for (const t of this.pools) safeCall(PG_COMPONENT, () => listener.tracked(t.pool, t.name));
    return () => this.listeners.delete(listener);
  }

  /** Stops reporting a pool (pool.end(), or the instrumentation was disabled). */
  untrack(pool: PgPoolInternals): void {
    const t = this.byPool.get(pool);
    if (t === undefined) return;
    this.pools.delete(t);
    this.byPool.delete(pool);
    for (const l of this.listeners) safeCall(PG_COMPONENT, () => l.untracked(pool));
  }

  /** Stops reporting every pool. */
  clear(): void {
    for (const t of [...this.pools]) this.untrack(t.pool);
  }

  /** Pools currently reported. */
  get size(): number {
    return this.pools.size;
  }

  /**
   * One point set per pool *name*: pools to the same host:port/database share a name (as in
   * instrumentation-pg, whose up-down counters add up across them), and two points with the same
   * attributes would be a duplicate series on /metrics. So their numbers are summed.
   */
  private read(points: (state: PoolState, name: string) => ObservedValue[]): ObservedValue[] {
    const byName = new Map<string, PoolState>();
    for (const t of this.pools) {
      const p = t.pool;
      if (p.ending === true) {
        // An ended pool is gone for good; drop it here rather than patching pool.end().
        this.untrack(p);
        continue;
      }
      const idle = p.idleCount;
      const used = p.totalCount - idle;
      const s = byName.get(t.name) ?? { used: 0, idle: 0, pending: 0, max: 0, available: 0 };
      s.used += used;
      s.idle += idle;
      s.pending += p.waitingCount;
      s.max += maxOf(p);
      s.available += availableOf(p);
      byName.set(t.name, s);
    }
    const out: ObservedValue[] = [];
    for (const [name, s] of byName) out.push(...points(s, name));
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
