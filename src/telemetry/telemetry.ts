import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';

/** The handle start() returns: the running SDK and every pulseguard service. */
export interface Telemetry {
  /** The validated configuration, defaults filled in. */
  readonly config: PulseguardConfig;
  /** The component logger (pino, secrets redacted, trace-correlated). */
  readonly logger: Logger;
  /** Scrape URL of /metrics, when the Prometheus exporter is on. */
  readonly metricsUrl: string | undefined;
  /** GramJS instrumentation, session monitoring and /health/telegram; undefined when instrumentations.telegram.enabled is false. */
  readonly telegram: TelegramTelemetry | undefined;
  /** Reads the whole metric stream once (SDK instruments and pulseguard's hot-path metrics). */
  collect(): Promise<ResourceMetrics>;
  /** Flushes exporters and closes everything pulseguard opened. Safe to call twice. */
  shutdown(): Promise<void>;
}
