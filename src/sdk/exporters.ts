import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader, type MetricProducer, type MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { PulseguardConfig } from '../config/types';
import { RedactingSpanExporter } from '../../exporters/otlp/redacting-span-exporter';

function otlpUrl(base: string, signal: 'traces' | 'metrics'): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * Span processors: batching OTLP/HTTP export when enabled; otherwise a no-op processor so spans
 * still exist for context propagation and log correlation but go nowhere (never an env-selected
 * exporter aimed at localhost, as NodeSDK would pick).
 */
export function createSpanProcessors(cfg: PulseguardConfig['exporters']['otlp']): SpanProcessor[] {
  if (!cfg.enabled || !cfg.traces) return [new NoopSpanProcessor()];
  // Redacted per batch: other instrumentations put raw error messages in span statuses and events.
  const exporter = new RedactingSpanExporter(new OTLPTraceExporter({ url: otlpUrl(cfg.endpoint, 'traces'), headers: cfg.headers, timeoutMillis: cfg.timeoutMs }));
  // Bounded queue: under an outage the oldest spans are dropped, never the app's memory.
  return [new BatchSpanProcessor(exporter, { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 5000, exportTimeoutMillis: cfg.timeoutMs })];
}

/** The OTLP metric reader, when metrics over OTLP are enabled. */
export function createOtlpMetricReader(cfg: PulseguardConfig['exporters']['otlp'], producers: MetricProducer[]): MetricReader | undefined {
  if (!cfg.enabled || !cfg.metrics) return undefined;
  return new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: otlpUrl(cfg.endpoint, 'metrics'), headers: cfg.headers, timeoutMillis: cfg.timeoutMs }),
    exportIntervalMillis: cfg.metricsIntervalMs,
    exportTimeoutMillis: Math.min(cfg.timeoutMs, cfg.metricsIntervalMs),
    metricProducers: producers,
  });
}
