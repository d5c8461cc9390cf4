import type { IncomingMessage } from 'node:http';
import { z } from 'zod/v3';
import { durationMs, fn, ratio, section } from './common';

export const wsInstrumentationSchema = () => section({
  /** Instrument `ws` servers and clients. @default true */
  enabled: z.boolean().default(true),
  /** Server ping interval, reused as a liveness check; 0 disables. @default 30000 */
  pingIntervalMs: durationMs().default(30_000),
  /** Per-message spans (off: metrics only). @default false */
  messageSpans: z.boolean().default(false),
  /** Fraction of messages that get a span when messageSpans is on. @default 0.01 */
  messageSpanSampleRatio: ratio().default(0.01),
  /**
   * Server handler time (`websocket.message.latency{websocket.latency.kind="handler"}`) is timed
   * for one delivered message in this many per socket (the first, then every Nth): a clock read
   * (~300 CPU instructions) is a large share of the per-message bookkeeping. The histogram's
   * count is then the number of timed messages; the message counters stay exact. 1 times every
   * message. @default 16
   */
  handlerTimingSampleEvery: z.number().int().min(1, 'handlerTimingSampleEvery must be at least 1 (1 times every message)').default(16),
  /**
   * Enforce the connection/message guards (opt-in: off, pulseguard only observes and never
   * refuses an upgrade nor closes a socket). On: rateLimits.websocketConnections (per user,
   * total) and rateLimits.policies 'websocket.messages' / 'websocket.newConnections' decide,
   * through the rate limiter. @default false
   */
  guards: z.boolean().default(false),
  /**
   * User key of an upgrade request `(req: IncomingMessage) => string | undefined`, for the
   * per-user cap and the activeUsers gauge (the key itself is never exported). Code config only.
   * @default undefined (per-user cap off, activeUsers 0)
   */
  userKey: fn<(req: IncomingMessage) => string | undefined>('expected a function (req) => string | undefined').optional(),
  /**
   * Correlation id of a message `(data, direction: 'receive' | 'transmit') => string | number | undefined`;
   * a reply carrying the id of an earlier message records a request/ack round trip. Code config only.
   * @default undefined
   */
  correlationId: fn<(data: unknown, direction: 'receive' | 'transmit') => string | number | undefined>('expected a function (data, direction) => id | undefined').optional(),
  /** Window of the WebSocket health figures (messageRate, errorRate, averageLatency, connectionStability); they describe, the rules judge the status. @default 60000 */
  healthWindowMs: durationMs(1000).default(60_000),
});

export const telegramInstrumentationSchema = () => section({
  /** Instrument GramJS (npm `telegram`). @default true */
  enabled: z.boolean().default(true),
  /** Session health check interval (spec: 5 minutes). @default 300000 */
  healthCheckIntervalMs: durationMs(1000).default(5 * 60_000),
  /** Scheduled failover to a standby authorization (spec: 24 hours); 0 disables. @default 86400000 */
  rotationIntervalMs: durationMs().default(24 * 60 * 60_000),
  /** More errors than this in a health window forces failover; fewer attempt recovery. @default 5 */
  maxErrorsBeforeFailover: z.number().int().nonnegative().default(5),
  /** Actively probe DCs the client does not already use (rate-capped). @default false */
  probeAllDcs: z.boolean().default(false),
  /** DC probes run at most this often; in between the last results are reported. @default 60000 */
  probeMinIntervalMs: durationMs(1000).default(60_000),
  /** A span per RPC call (metrics are always recorded). @default true */
  spans: z.boolean().default(true),
});

export const pgInstrumentationSchema = () => section({
  /** Lean pg metrics (collect-time, no per-query attribute hashing). @default true */
  enabled: z.boolean().default(true),
  /** Spans through @opentelemetry/instrumentation-pg. @default false */
  spans: z.boolean().default(false),
  /** Fraction of queries traced when spans are on. @default 1 */
  spanSampleRatio: ratio().default(1),
  /** EXPLAIN slow read queries on a separate connection (never EXPLAIN ANALYZE on writes). @default false */
  explainSlowQueries: z.boolean().default(false),
  /** Most EXPLAINs per minute when explainSlowQueries is on. @default 6 */
  explainPerMinute: z.number().int().nonnegative().default(6),
  /** Log slow statements (normalised, literals removed) at warn, once a minute per statement. @default true */
  logSlowQueries: z.boolean().default(true),
  /** How long slow-query events are kept for telemetry.db.slowQueries() (spec: 1 hour). @default 3600000 */
  slowQueryRetentionMs: durationMs(1000).default(60 * 60_000),
  /** Keep idle-client errors of a pool (killed backend, server restart) from crashing an app without a pool 'error' listener. @default true */
  handlePoolErrors: z.boolean().default(true),
  /**
   * A /health check per instrumented pool, named `database:<host:port/database>` (the pool's
   * `db.client.connection.pool.name`), registered at the pool's first query and removed at
   * `pool.end()`; false opts out (register your own with `telemetry.db.healthCheck(pool)`). @default true
   */
  healthChecks: z.boolean().default(true),
  /** `SELECT 1` timeout of the database health check. @default 5000 */
  healthCheckTimeoutMs: durationMs(1).default(5000),
});

export const instrumentationsSchema = () => section({
  /** @opentelemetry/instrumentation-http. */
  http: section({
    enabled: z.boolean().default(true),
    /**
     * `http.route` (the route template, `/users/:id`) on HTTP server metrics and spans of express
     * (through @opentelemetry/instrumentation-express) and fastify apps. @default true
     */
    routes: z.boolean().default(true),
  }),
  /** @opentelemetry/instrumentation-runtime-node. */
  runtime: section({
    enabled: z.boolean().default(true),
    /** Event-loop sampling precision. @default 5000 */
    monitoringPrecisionMs: durationMs(10).default(5000),
  }),
  ws: wsInstrumentationSchema(),
  telegram: telegramInstrumentationSchema(),
  pg: pgInstrumentationSchema(),
});
