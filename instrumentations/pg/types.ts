import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Configuration of {@link PulseguardPgInstrumentation}. Every option has a default. */
export interface PgInstrumentationConfig extends InstrumentationConfig {
  /** Queries slower than this are counted, logged and (optionally) explained, in ms. @default 100 */
  slowQueryThresholdMs?: number;
  /** Transactions (BEGIN to COMMIT/ROLLBACK) slower than this are counted and logged, in ms. @default 500 */
  slowTransactionThresholdMs?: number;
  /** Log each slow statement (normalised, no literals) at warn level, at most once per statement per minute. @default true */
  logSlowQueries?: boolean;
  /** EXPLAIN slow SELECTs on a separate connection (a generic plan; never EXPLAIN ANALYZE). @default false */
  explainSlowQueries?: boolean;
  /** Most EXPLAINs run per minute, across all statements. @default 6 */
  explainPerMinute?: number;
  /** Keep a pool's idle-client errors (a killed backend) from crashing an app that has no 'error' listener. @default true */
  handlePoolErrors?: boolean;
  /** How long slow-query events are kept for `slowQueries()`, in ms (spec: 1 hour). @default 3600000 */
  slowQueryRetentionMs?: number;
}

/** The defaults merged in both the constructor and setConfig. */
export const DEFAULT_CONFIG: Required<Omit<PgInstrumentationConfig, keyof InstrumentationConfig>> = {
  slowQueryThresholdMs: 100,
  slowTransactionThresholdMs: 500,
  logSlowQueries: true,
  explainSlowQueries: false,
  explainPerMinute: 6,
  handlePoolErrors: true,
  slowQueryRetentionMs: 60 * 60_000,
};

/** Options of `telemetry.db.slowQueries()`. */
export interface SlowQueriesOptions {
  /** Only events at or after this time (Date or epoch ms). @default one hour ago */
  since?: Date | number;
  /** Most statements returned. @default 10 */
  limit?: number;
}

/** One normalised statement in the `slowQueries()` report, ranked by total time. */
export interface SlowQueryStat {
  /** The statement with every literal replaced by `$n`, or `TRANSACTION` for a slow transaction. */
  statement: string;
  /** `db.operation.name` (SELECT, UPDATE, ..., or TRANSACTION). */
  operation: string;
  /** Slow executions in the window. */
  count: number;
  /** Sum of their durations, ms. */
  totalMs: number;
  /** Mean duration, ms. */
  meanMs: number;
  /** Longest duration, ms. */
  maxMs: number;
  /** Last time it was seen slow. */
  lastSeen: Date;
  /** The EXPLAIN (FORMAT JSON) generic plan, when explainSlowQueries is on and it ran. */
  plan?: unknown;
}

/** Options of the database health check. */
export interface DbHealthCheckOptions {
  /** `SELECT 1` must answer within this, ms. @default 5000 */
  timeoutMs?: number;
  /** Slower than this (ms) is `warn`. @default 100 (thresholds.database.queryTime) */
  warnLatencyMs?: number;
  /** Fewer connections available than this is `warn`. @default 2 (thresholds.pools.database.minAvailable) */
  minAvailable?: number;
  /** More callers waiting for a connection than this is `warn`. @default 10 (thresholds.pools.database.maxWaitingClients) */
  maxWaitingClients?: number;
}

/**
 * The result of the database health check, in the shape of a check of the IETF "Health Check
 * Response Format for HTTP APIs" draft (`status`, `observedValue`, `observedUnit`, `time`, `output`).
 */
export interface DbHealthCheckResult {
  status: 'pass' | 'warn' | 'fail';
  /** `SELECT 1` round trip in ms; the timeout when it failed. */
  observedValue: number;
  observedUnit: 'ms';
  componentType: 'datastore';
  /** ISO time of the check. */
  time: string;
  /** Why the status is not `pass` (an error code and message, never credentials). */
  output?: string;
  /** Pool state when the check ran. */
  pool: { total: number; idle: number; waiting: number; max: number; available: number };
}

/** A pool the health check can probe: a pg.Pool (or anything with the same query and counters). */
export interface DbHealthCheckPool {
  query(text: string): Promise<unknown>;
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** `telemetry.db`: the database view of a running pulseguard. */
export interface DbApi {
  /** The top statements by total slow time since a point in time (spec: analyzeQueryPerformance). */
  slowQueries(options?: SlowQueriesOptions): SlowQueryStat[];
  /** Runs the database health check (`SELECT 1` with timeout, pool saturation) against a pool. */
  healthCheck(pool: DbHealthCheckPool, options?: DbHealthCheckOptions): Promise<DbHealthCheckResult>;
}
