import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { AlertDispatcher } from '../alerting/alert-dispatcher';
import type { RecoveryRegistry } from '../recovery/recovery-registry';
import type { Health } from '../health/types';
import type { ErrorTracker, CrashReporter } from '../errors/types';
import type { ApmCollector } from '../apm/types';
import type { RateLimits } from '../limits/types';
import type { DbApi } from '../../instrumentations/pg/types';
import type { WebSocketTelemetry } from '../../instrumentations/ws/types';
import type { AlertsApi } from '../evaluator/types';
import type { PerformanceReport, ReportOptions } from '../report/types';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';

/** The handle start() returns: the running SDK and every pulseguard service. */
export interface Telemetry {
  /** The validated configuration, defaults filled in. */
  readonly config: PulseguardConfig;
  /** The application logger (pino, secrets redacted, trace-correlated); pulseguard logs through children of it with a `component` field. */
  readonly logger: Logger;
  /** Scrape URL of /metrics, when the Prometheus endpoint runs on its own port. */
  readonly metricsUrl: string | undefined;
  /** node:http handler serving the Prometheus exposition, to mount on your own server (any path). */
  readonly metricsHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** Alert notification pipeline: routing matrix, channels, silences (`notifications.silence(...)`). */
  readonly notifications: AlertDispatcher;
  /** Recovery procedures, run by rules or by hand: `recovery.register(name, fn)`, `recovery.run(name)`. */
  readonly recovery: RecoveryRegistry;
  /**
   * Health checks, the health endpoints' handler, the ConnectionMonitor and graceful shutdown.
   * `health.componentReport('websocket' | 'telegram' | 'rate-limits')` is the status of an area,
   * judged by the evaluator's rules exactly as its endpoint and the alerts are.
   */
  readonly health: Health;
  /** The error tracker: groups, classes and redacted samples of the errors you track. */
  readonly errors: ErrorTracker;
  /** Transactions, measured operations and dependency calls of the app's own code. */
  readonly apm: ApmCollector;
  /** The crash reporter, when `errors.captureCrashes` is on (removed again by shutdown()). */
  readonly crashReporter: CrashReporter | undefined;
  /** Rate limits: `limits.consume(policy, key, points)` returns a Decision; `limits.health()` the figures of /health/rate-limits. */
  readonly limits: RateLimits;
  /** PostgreSQL: slowQueries() (top statements by total slow time) and healthCheck(pool). */
  readonly db: DbApi;
  /** WebSocket health figures (`health()`, no status: see `health`) and `reconnectWithBackoff`; undefined when instrumentations.ws is disabled. */
  readonly websocket: WebSocketTelemetry | undefined;
  /** Threshold alerts: events ('pending' | 'firing' | 'resolved'), active(), rules(), evaluateNow(). */
  readonly alerts: AlertsApi;
  /**
   * Latency percentiles, throughput, error rate and saturation per area, slow queries and memory
   * over `period` from the evaluator's in-process history (the spec's analyze* procedures).
   */
  report(options?: ReportOptions): PerformanceReport;
  /** GramJS instrumentation, session monitoring and the /health/telegram figures (`report()`); undefined when instrumentations.telegram.enabled is false. */
  readonly telegram: TelegramTelemetry | undefined;
  /** Reads the whole metric stream once (SDK instruments and pulseguard's hot-path metrics). */
  collect(): Promise<ResourceMetrics>;
  /** Flushes exporters and closes everything pulseguard opened. Safe to call twice. */
  shutdown(): Promise<void>;
}
