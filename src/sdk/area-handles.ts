import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import type { AlertDispatcher } from '../alerting/alert-dispatcher';
import type { RecoveryRegistry } from '../recovery/recovery-registry';
import type { Health } from '../health/types';
import type { ErrorTracker, CrashReporter } from '../errors/types';
import type { ApmCollector } from '../apm/types';
import type { RateLimitRegistry } from '../limits/limiter-registry';
import type { AlertsApi } from '../evaluator/types';
import type { AlertJournal } from '../alerting/journal/alert-journal';
import type { PerformanceReport, ReportOptions } from '../report/types';
import type { DbApi } from '../../instrumentations/pg/types';
import type { WebSocketTelemetry } from '../../instrumentations/ws/types';
import type { TelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';

/** The evaluator area's handle: alert events and the performance report, when rules are enabled. */
export interface EvaluatorHandle {
  readonly alerts: AlertsApi;
  report(options?: ReportOptions): PerformanceReport;
  /** Names of the rules in effect: alerts with these names are the evaluator's. */
  readonly ruleNames: ReadonlySet<string>;
}

/** The exporters area's handle: where /metrics is served and the reader `telemetry.collect()` reads. */
export interface ExportersHandle {
  readonly metricsUrl: string | undefined;
  readonly metricsHandler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  /** The reader telemetry.collect() reads (Prometheus, else an inspection reader, else OTLP). */
  readonly mainReader: MetricReader | undefined;
}

/** The OpenTelemetry area's handle: whether pulseguard runs its own SDK or joined the app's. */
export interface OtelHandle {
  readonly mode: 'own' | 'attached';
}

/** The errors area's handle: the tracker and, when enabled, the crash reporter. */
export interface ErrorsHandle {
  readonly tracker: ErrorTracker;
  readonly crashReporter: CrashReporter | undefined;
}

/**
 * Every area's public handle, by area name. Written out (not inferred from the table) so an area
 * can name an earlier one's handle without a type cycle.
 */
export interface AreaHandles {
  limits: RateLimitRegistry;
  journal: AlertJournal | undefined;
  evaluator: EvaluatorHandle | undefined;
  exporters: ExportersHandle;
  otel: OtelHandle;
  http: undefined;
  hostMetrics: undefined;
  pg: DbApi;
  ws: WebSocketTelemetry | undefined;
  telegram: TelegramTelemetry | undefined;
  errors: ErrorsHandle;
  apm: ApmCollector;
  recovery: RecoveryRegistry;
  health: Health;
  alerting: AlertDispatcher;
}
