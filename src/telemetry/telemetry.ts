import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { AlertsApi, PerformanceReport, ReportOptions } from '../evaluator/types';

/** The handle start() returns: the running SDK and every pulseguard service. */
export interface Telemetry {
  /** The validated configuration, defaults filled in. */
  readonly config: PulseguardConfig;
  /** The component logger (pino, secrets redacted, trace-correlated). */
  readonly logger: Logger;
  /** Scrape URL of /metrics, when the Prometheus exporter is on. */
  readonly metricsUrl: string | undefined;
  /** Threshold alerts: events ('pending' | 'firing' | 'resolved'), active(), rules(), evaluateNow(). */
  readonly alerts: AlertsApi;
  /**
   * Latency percentiles, throughput, error rate and saturation per area, slow queries and memory
   * over `period` from the evaluator's in-process history (the spec's analyze* procedures).
   */
  report(options?: ReportOptions): PerformanceReport;
  /** Reads the whole metric stream once (SDK instruments and pulseguard's hot-path metrics). */
  collect(): Promise<ResourceMetrics>;
  /** Flushes exporters and closes everything pulseguard opened. Safe to call twice. */
  shutdown(): Promise<void>;
}
