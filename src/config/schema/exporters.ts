import { z } from 'zod/v3';
import { durationMs, dynamicDefault, port, section } from './common';

export const prometheusSchema = () => section({
  /** Serve /metrics for Prometheus. @default true */
  enabled: z.boolean().default(true),
  /** Interface to bind. @default "0.0.0.0" */
  host: z.string().min(1).default('0.0.0.0'),
  /** Port to bind; 0 picks a free port (see `telemetry.metricsUrl`). @default 9464 */
  port: port().default(9464),
  /** Path of the scrape endpoint. @default "/metrics" */
  endpoint: z.string().startsWith('/', 'must start with "/"').default('/metrics'),
  /** Gzip the exposition when the scraper accepts it. @default true */
  gzip: z.boolean().default(true),
  /** Series per metric before new attribute sets fold into one `otel_metric_overflow` series (logged once). @default 2000 */
  cardinalityLimit: z.number().int().min(1).default(2000),
  /** A collection slower than this answers 503. @default 10000 */
  collectTimeoutMs: durationMs(10).default(10_000),
  /** Serve on its own port; false = only mount `telemetry.metricsHandler` on your server. @default true */
  standalone: z.boolean().default(true),
});

export const otlpSchema = () => section({
  /** Export over OTLP/HTTP (Jaeger, Tempo and the Collector accept it). @default false */
  enabled: z.boolean().default(false),
  /** Base URL; /v1/traces and /v1/metrics are appended. @default process.env.OTEL_EXPORTER_OTLP_ENDPOINT or "http://localhost:4318" */
  endpoint: dynamicDefault(z.string().url(), 'otlpEndpoint'),
  /** Extra headers (e.g. an auth token; never logged). @default {} */
  headers: z.record(z.string(), z.string()).default({}),
  /** Export traces. @default true */
  traces: z.boolean().default(true),
  /** Export metrics too (Prometheus remains the default metrics path). @default false */
  metrics: z.boolean().default(false),
  /** Metric export interval. @default 15000 */
  metricsIntervalMs: durationMs(1000).default(15_000),
  /** Per-request timeout. @default 10000 */
  timeoutMs: durationMs(100).default(10_000),
});

export const exportersSchema = () => section({
  prometheus: prometheusSchema(),
  otlp: otlpSchema(),
});
