import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { ErrorTracker, CrashReporter } from '../errors/types';
import type { ApmCollector } from '../apm/types';

/** The handle start() returns: the running SDK and every pulseguard service. */
export interface Telemetry {
  /** The validated configuration, defaults filled in. */
  readonly config: PulseguardConfig;
  /** The component logger (pino, secrets redacted, trace-correlated). */
  readonly logger: Logger;
  /** Scrape URL of /metrics, when the Prometheus exporter is on. */
  readonly metricsUrl: string | undefined;
  /** The error tracker: groups, classes and redacted samples of the errors you track. */
  readonly errors: ErrorTracker;
  /** Transactions, measured operations and dependency calls of the app's own code. */
  readonly apm: ApmCollector;
  /** The crash reporter, when `errors.captureCrashes` is on (removed again by shutdown()). */
  readonly crashReporter: CrashReporter | undefined;
  /** Reads the whole metric stream once (SDK instruments and pulseguard's hot-path metrics). */
  collect(): Promise<ResourceMetrics>;
  /** Flushes exporters and closes everything pulseguard opened. Safe to call twice. */
  shutdown(): Promise<void>;
}
