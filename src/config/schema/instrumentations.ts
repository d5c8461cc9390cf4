import { z } from 'zod';
import { durationMs, ratio, section } from './common';

const toggle = (enabled = true) => section({ enabled: z.boolean().default(enabled) });

export const wsInstrumentationSchema = section({
  /** Instrument `ws` servers and clients. @default true */
  enabled: z.boolean().default(true),
  /** Server ping interval, reused as a liveness check; 0 disables. @default 30000 */
  pingIntervalMs: durationMs().default(30_000),
  /** Per-message spans (off: metrics only). @default false */
  messageSpans: z.boolean().default(false),
  /** Fraction of messages that get a span when messageSpans is on. @default 0.01 */
  messageSpanSampleRatio: ratio().default(0.01),
  /** Enforce the connection/message guards from rateLimits.policies.websocket*. @default true */
  guards: z.boolean().default(true),
});

export const telegramInstrumentationSchema = section({
  /** Instrument GramJS (npm `telegram`). @default true */
  enabled: z.boolean().default(true),
  /** Session health check interval (spec: 5 minutes). @default 300000 */
  healthCheckIntervalMs: durationMs().min(1000).default(5 * 60_000),
  /** Scheduled failover to a standby authorization (spec: 24 hours); 0 disables. @default 86400000 */
  rotationIntervalMs: durationMs().default(24 * 60 * 60_000),
  /** More errors than this in a health window forces failover; fewer attempt recovery. @default 5 */
  maxErrorsBeforeFailover: z.number().int().nonnegative().default(5),
  /** Actively probe DCs the client does not already use (rate-capped). @default false */
  probeAllDcs: z.boolean().default(false),
  /** DC probes run at most this often; in between the last results are reported. @default 60000 */
  probeMinIntervalMs: durationMs().min(1000).default(60_000),
  /** A span per RPC call (metrics are always recorded). @default true */
  spans: z.boolean().default(true),
});

export const pgInstrumentationSchema = section({
  /** Lean pg metrics (collect-time, no per-query attribute hashing). @default true */
  enabled: z.boolean().default(true),
  /** Spans through @opentelemetry/instrumentation-pg. @default false */
  spans: z.boolean().default(false),
  /** Fraction of queries traced when spans are on. @default 1 */
  spanSampleRatio: ratio().default(1),
  /** EXPLAIN slow read queries on a separate connection (never EXPLAIN ANALYZE on writes). @default false */
  explainSlowQueries: z.boolean().default(false),
});

export const instrumentationsSchema = section({
  /** @opentelemetry/instrumentation-http. @default { enabled: true } */
  http: toggle(true),
  /** @opentelemetry/instrumentation-runtime-node. */
  runtime: section({
    enabled: z.boolean().default(true),
    /** Event-loop sampling precision. @default 5000 */
    monitoringPrecisionMs: durationMs().min(10).default(5000),
  }),
  ws: wsInstrumentationSchema,
  telegram: telegramInstrumentationSchema,
  pg: pgInstrumentationSchema,
});
