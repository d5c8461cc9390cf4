/**
 * Names used by the pg instrumentation. Stable names come from
 * `@opentelemetry/semantic-conventions`; the connection-pool ones are still incubating there, so
 * they are copied in with the exact values @opentelemetry/instrumentation-pg 0.76.0 emits, which
 * keeps dashboards working with either instrumentation.
 */
export {
  METRIC_DB_CLIENT_OPERATION_DURATION,
  ATTR_DB_SYSTEM_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_ERROR_TYPE,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
  ERROR_TYPE_VALUE_OTHER,
} from '@opentelemetry/semantic-conventions';

/** Connections in the state given by `db.client.connection.state` (used / idle). Incubating. */
export const METRIC_DB_CLIENT_CONNECTION_COUNT = 'db.client.connection.count' as const;
/** Requests waiting for a connection from the pool. Incubating. */
export const METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS = 'db.client.connection.pending_requests' as const;
/** The configured maximum number of open connections of a pool. Incubating. */
export const METRIC_DB_CLIENT_CONNECTION_MAX = 'db.client.connection.max' as const;
/**
 * pulseguard: connections a pool can still hand out without making callers wait
 * (`max - used`). The spec's "min available 2" rule needs it; semconv has no equivalent.
 */
export const METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE = 'pulseguard.db.connection.available' as const;
/** pulseguard: queries (and transactions) slower than the configured threshold. */
export const METRIC_DB_CLIENT_SLOW_QUERIES = 'db.client.slow_queries' as const;

/** Pool name, `host:port/database` exactly as instrumentation-pg builds it. Incubating. */
export const ATTR_DB_CLIENT_CONNECTION_POOL_NAME = 'db.client.connection.pool.name' as const;
/** Connection state: used or idle. Incubating. */
export const ATTR_DB_CLIENT_CONNECTION_STATE = 'db.client.connection.state' as const;
/** `db.client.connection.state` value for connections checked out of the pool. */
export const DB_CLIENT_CONNECTION_STATE_VALUE_USED = 'used' as const;
/** `db.client.connection.state` value for connections waiting in the pool. */
export const DB_CLIENT_CONNECTION_STATE_VALUE_IDLE = 'idle' as const;

/**
 * `db.operation.name` of {@link METRIC_DB_CLIENT_SLOW_QUERIES} for a whole transaction (BEGIN to
 * COMMIT/ROLLBACK) that exceeded the transaction threshold.
 */
export const DB_OPERATION_NAME_VALUE_TRANSACTION = 'TRANSACTION' as const;
/** The bucket every operation name outside the known SQL command set collapses to. */
export const DB_OPERATION_NAME_VALUE_OTHER = '_OTHER' as const;

/** Histogram bucket advice of instrumentation-pg 0.76.0 for db.client.operation.duration (seconds). */
export const OPERATION_DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];

/** Component name for contained faults (`pulseguard.internal.errors{component}`). */
export const COMPONENT_PG = 'instrumentation-pg' as const;
