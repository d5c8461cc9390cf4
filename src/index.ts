/**
 * pulseguard: OpenTelemetry instrumentation for Node.js realtime services.
 *
 * ```ts
 * import { start, defineConfig } from 'pulseguard';
 * const telemetry = await start(defineConfig({ service: { name: 'chat-gateway' } }));
 * ```
 *
 * This entry point is deliberate, as in @opentelemetry/sdk-node: the functions users call and the
 * types they need to name (the configuration, the `Telemetry` handle and the type of each of its
 * members). Internals (schema resolution, the default rule pack, backoff helpers...) are not
 * exported; tests import them from their source paths. Framework adapters have their own entry
 * points (`pulseguard/express`, `pulseguard/fastify`) so an app loads only what it mounts.
 */

// Starting and stopping.
import type * as TelegramInstrumentationModule from '../instrumentations/telegram/instrumentation';
import type * as LoadConfigModule from './config/load-config';
import type * as ConfigLoadErrorModule from './config/config-load-error';
import type * as AdaptersModule from './adapters/index';
import { lazyExport } from './internal/lazy-export';

export { start, getTelemetry } from './sdk/index';
export type { Telemetry } from './sdk/index';
export { VERSION } from './version';

// Configuration.
export { defineConfig, ConfigError } from './config/validate';
// Config files are read by the CLI and by `pulseguard/register`; an app that passes its config to
// start() never loads the file loaders (jiti, yaml, env parsing): these names load on first read.
// The assignments let Node's ESM named imports see them (cjs-module-lexer, see below).
export declare const loadConfig: typeof LoadConfigModule.loadConfig;
export declare const ConfigLoadError: typeof ConfigLoadErrorModule.ConfigLoadError;
export type ConfigLoadError = ConfigLoadErrorModule.ConfigLoadError;
exports.loadConfig = undefined;
exports.ConfigLoadError = undefined;
/* eslint-disable @typescript-eslint/no-require-imports */
lazyExport(exports, 'loadConfig', () => (require('./config/load-config') as typeof LoadConfigModule).loadConfig);
lazyExport(exports, 'ConfigLoadError', () => (require('./config/config-load-error') as typeof ConfigLoadErrorModule).ConfigLoadError);
/* eslint-enable @typescript-eslint/no-require-imports */
export type {
  PulseguardConfig, PulseguardConfigInput, Rule, RuleInput, ConfigProblem, LoadConfigOptions, LoadedConfig, ConfigSource,
} from './config/index';

// telemetry.logger
export { registerSecret } from './logging/index';
export type { Logger } from './logging/index';

// telemetry.errors, telemetry.crashReporter (the factories also work without start()).
export { createErrorTracker, createCrashReporter, classifyError, compileClassificationRules } from './errors/index';
export type {
  ErrorClass, ErrorGroup, ErrorGroupSummary, ErrorSample, ErrorTracker, ErrorTrackerOptions, ErrorTrackerStats, GroupsQuery,
  TrackOptions, CrashOrigin, CrashReporter, CrashReporterOptions, CrashStatistics, ClassificationRule, ClassificationRuleInput,
  ErrorEvent, ErrorEventHint, BeforeSendError, Breadcrumb, ErrorInsights, InsightsOptions, RisingGroup, CrashIncident,
} from './errors/index';

// telemetry.apm
export { createApmCollector } from './apm/index';
export type { ApmCollector, ApmOptions, DependencyCall, Outcome, Transaction } from './apm/index';

// telemetry.health
export { closeWebSocketServers } from './health/index';
export type {
  Health, HealthCheck, CheckResult, CheckStatus, HealthState, RegisterOptions, HealthReport, CheckOutcome, HealthErrorCode,
  ComponentName, ComponentReport, ComponentReportProvider, ComponentOutcome, DecidedBy, HealthRequestHandler, ShutdownHook, ConnectionMonitor,
  ConnectionKind, ConnectionProbe, ConnectionHealthReport, ConnectionMetrics, LatencyMetrics,
} from './health/index';

// telemetry.limits, and the HTTP rate-limit middleware.
export { RateLimitUsageError } from './limits/index';
export type {
  Decision, DecisionOutcome, RateLimits, RateLimitPolicy, RateLimitPolicyInput, ConsumeOptions, ConnectionLease, RateLimitHealthSnapshot,
} from './limits/index';
// The HTTP middleware loads when the app first reaches for it.
export declare const createExpressRateLimit: typeof AdaptersModule.createExpressRateLimit;
export declare const createFastifyRateLimitHook: typeof AdaptersModule.createFastifyRateLimitHook;
export declare const withRateLimit: typeof AdaptersModule.withRateLimit;
exports.createExpressRateLimit = undefined;
exports.createFastifyRateLimitHook = undefined;
exports.withRateLimit = undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const adapters = (): typeof AdaptersModule => require('./adapters/index');
lazyExport(exports, 'createExpressRateLimit', () => adapters().createExpressRateLimit);
lazyExport(exports, 'createFastifyRateLimitHook', () => adapters().createFastifyRateLimitHook);
lazyExport(exports, 'withRateLimit', () => adapters().withRateLimit);
export type { HttpRateLimitOptions } from './adapters/index';

// telemetry.db
// Values from their own files, not the folders' index.ts: an index loads every file of its
// folder (pg's would load @opentelemetry/instrumentation-pg for the span delegate, off by default).
export { checkDatabase } from '../instrumentations/pg/health-check';
export type { DbApi, DbHealthCheckResult, DbHealthCheckOptions, SlowQueryStat, SlowQueriesOptions } from '../instrumentations/pg/index';

// telemetry.websocket
export { createWsInstrumentation, ReconnectError } from '../instrumentations/ws/index';
// pulseguard's instrumentations used on their own, in an app's NodeSDK (docs/standalone-instrumentations.md).
// The GramJS instrumentation is required on first access: an app with telegram off never loads
// its ~20 modules. The assignment lets Node's ESM `import { TelegramInstrumentation }` see the
// name (cjs-module-lexer); the getter is defined through a helper the lexer does not read, since
// it drops names whose getter it cannot parse.
export declare const TelegramInstrumentation: typeof TelegramInstrumentationModule.TelegramInstrumentation;
export type TelegramInstrumentation = TelegramInstrumentationModule.TelegramInstrumentation;
exports.TelegramInstrumentation = undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
lazyExport(exports, 'TelegramInstrumentation', () => (require('../instrumentations/telegram/instrumentation') as typeof TelegramInstrumentationModule).TelegramInstrumentation);
export { PulseguardPgInstrumentation } from '../instrumentations/pg/instrumentation';
export { createPulseguardMetricProducer } from './metrics/pulseguard-metric-producer';
export type {
  WsInstrumentation, WsInstrumentationConfig, WsHealthSnapshot, ReconnectOptions, WebSocketTelemetry,
} from '../instrumentations/ws/index';

// telemetry.telegram
export { createMemorySessionPool } from '../instrumentations/telegram/session-pool';
export { createMemoryLeaseStore, createRedisLeaseStore } from '../instrumentations/telegram/session-lease';
/** The ioredis client createRedisLeaseStore() takes, named without needing ioredis' types. */
export type { RedisClient } from './internal/redis-client';
export type {
  TelegramTelemetry, TelegramSessionMonitor, MonitoredClient, SessionMonitorOptions, SessionHealth,
  DcProbe, DcProbeOptions, ProbeableClient, TelegramSendGuard, SendGuardOptions, TelegramHealthReport,
  TelegramSessionPool, TelegramSessionLease, SessionLeaseStore, MonitorAction, SessionReport,
} from '../instrumentations/telegram/index';

// telemetry.alerts and telemetry.report()
export type { Alert, AlertsApi, AlertEventName, AlertListener, AlertState, RuleStatus, RuleHealth, Severity } from './evaluator/index';
export type {
  ReportOptions, PerformanceReport, AreaReport, LatencySummary, ReportPoint, QueryReport, MemoryReport,
} from './report/index';

// telemetry.notifications
export type { AlertDispatcher } from './alerting/index';
export type { Alert as NotificationAlert, BeforeSendAlert, Notification, Notifier, NotifyResult, ChannelName, Matcher } from './alerting/index';

// telemetry.recovery
export { createReconnectProcedure, createStateRecoveryProcedure, createTelegramReconnectProcedure, createTelegramFailoverProcedure } from './recovery/index';
export type {
  RecoveryRegistry, RecoveryProcedure, RecoveryContext, RecoveryRun, RecoveryOutcome, RunOptions, ReconnectSteps,
  StateRecoverySteps,
} from './recovery/index';
