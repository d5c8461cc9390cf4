/* eslint-disable @typescript-eslint/no-require-imports -- OTLP exporters are loaded only when enabled */
import type * as OtlpTraces from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtlpMetrics from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { logExportFailures } from './export-failure-log';
import type * as Redacting from '../../exporters/otlp/redacting-span-exporter';

// OTLP export is off by default, and its exporters bring ~80 modules (the OTLP transformer, the
// export base, the logs API): they are required when a config enables them, not at startup.

function otlpUrl(base: string, signal: 'traces' | 'metrics'): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * Span processors: batching OTLP/HTTP export when enabled; otherwise a no-op processor so spans
 * still exist for context propagation and log correlation but go nowhere (never an env-selected
 * exporter aimed at localhost, as NodeSDK would pick).
 */
export function createSpanProcessors(cfg: PulseguardConfig['exporters']['otlp'], logger?: Logger): SpanProcessor[] {
  if (!cfg.enabled || !cfg.traces) return [new NoopSpanProcessor()];
  const url = otlpUrl(cfg.endpoint, 'traces');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpTraces;
  const { RedactingSpanExporter } = require('../../exporters/otlp/redacting-span-exporter') as typeof Redacting;
  const otlp = new OTLPTraceExporter({ url, headers: cfg.headers, timeoutMillis: cfg.timeoutMs });
  if (logger) logExportFailures(otlp, 'traces', url, logger);
  // Redacted per batch: other instrumentations put raw error messages in span statuses and events.
  const exporter = new RedactingSpanExporter(otlp);
  // Bounded queue: under an outage the oldest spans are dropped, never the app's memory.
  return [new BatchSpanProcessor(exporter, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: cfg.timeoutMs })];
}

/** The OTLP metric reader, when metrics over OTLP are enabled. */
export function createOtlpMetricReader(cfg: PulseguardConfig['exporters']['otlp'], producers: MetricProducer[], logger?: Logger): MetricReader | undefined {
  if (!cfg.enabled || !cfg.metrics) return undefined;
  const url = otlpUrl(cfg.endpoint, 'metrics');
  const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http') as typeof OtlpMetrics;
  const exporter = new OTLPMetricExporter({ url, headers: cfg.headers, timeoutMillis: cfg.timeoutMs });
  if (logger) logExportFailures(exporter, 'metrics', url, logger);
  return new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: cfg.metricsIntervalMs,
    exportTimeoutMillis: Math.min(cfg.timeoutMs, cfg.metricsIntervalMs),
    metricProducers: producers,
  });
}
