/**
 * pulseguard: OpenTelemetry instrumentation for Node.js realtime services.
 *
 * ```ts
 * import { start, defineConfig } from 'pulseguard';
 * const telemetry = await start(defineConfig({ service: { name: 'chat-gateway' } }));
 * ```
 */
export { start, getTelemetry } from './telemetry/index';
export type { Telemetry } from './telemetry/index';
export { defineConfig, ConfigError, validateConfig, resolveConfig, DEFAULT_POLICIES } from './config/index';
export type { PulseguardConfig, PulseguardConfigInput, Rule, RuleInput, ConfigProblem } from './config/index';
export { loadConfig, ConfigLoadError } from './config/index';
export type { LoadConfigOptions, LoadedConfig, ConfigSource } from './config/index';
export { createLogger, registerSecret } from './logging/index';
export type { Logger, LoggerConfig } from './logging/index';
export { createErrorTracker, createCrashReporter, classifyError, compileRules, ERROR_CLASSES } from './errors/index';
export type {
  ErrorClass,
  ErrorGroup,
  ErrorGroupSummary,
  ErrorSample,
  ErrorTracker,
  ErrorTrackerOptions,
  ErrorTrackerStats,
  GroupsQuery,
  TrackOptions,
  CrashOrigin,
  CrashReporter,
  CrashReporterOptions,
  CrashStatistics,
  ClassificationRule,
  ClassificationRuleInput,
} from './errors/index';
export { createApmCollector } from './apm/index';
export type { ApmCollector, ApmOptions, DependencyCall, Outcome, Transaction } from './apm/index';
export { VERSION } from './version';
export { closeWebSocketServers, WS_CLOSE_GOING_AWAY, HEALTH_ROUTES, HEALTH_JSON_CONTENT_TYPE } from './health/index';
export type {
  Health, HealthCheck, CheckResult, CheckStatus, HealthState, RegisterOptions, HealthReport, CheckOutcome, HealthErrorCode,
  ComponentName, ComponentReport, ComponentReportProvider, HealthRequestHandler, ShutdownHook, ConnectionMonitor,
  ConnectionKind, ConnectionProbe, ConnectionHealthReport, ConnectionMetrics, LatencyMetrics,
} from './health/index';
export {
  createRateLimits,
  RateLimitUsageError,
  createExpressRateLimit,
  createFastifyRateLimitHook,
  withRateLimit,
} from './limits/index';
export type { Decision, DecisionOutcome, RateLimits, RateLimitPolicy, RateLimitPolicyInput, ConnectionLease, HttpRateLimitOptions, RateLimitHealthBody } from './limits/index';
export { checkDatabase } from '../instrumentations/pg/index';
export type { DbApi, DbHealthCheckResult, DbHealthCheckOptions, SlowQueryStat, SlowQueriesOptions } from '../instrumentations/pg/index';
export { createWsInstrumentation, WsInstrumentation, ReconnectError } from '../instrumentations/ws/index';
export type { WsInstrumentationConfig, WsHealthSnapshot, ReconnectOptions, WebSocketTelemetry } from '../instrumentations/ws/index';
export { createMemorySessionPool, createMemoryLeaseStore, createRedisLeaseStore } from '../instrumentations/telegram/index';
export type {
  TelegramSessionPool, TelegramSessionLease, SessionLeaseStore, TelegramSessionMonitor, SessionMonitorOptions, SessionHealth, MonitorAction,
  TelegramHealthReport, SessionReport,
} from '../instrumentations/telegram/index';
export { describeEffectiveRules, buildDefaultRules } from './evaluator/index';
export type { Alert, AlertsApi, AlertEventName, RuleStatus, ReportOptions, PerformanceReport } from './evaluator/index';
export { createReconnectProcedure, createStateRecoveryProcedure, createTelegramReconnectProcedure, createTelegramFailoverProcedure, retryWithBackoff } from './recovery/index';
export type { RecoveryProcedure, RecoveryContext, RecoveryRun, RecoveryOutcome, ReconnectSteps, StateRecoverySteps, BackoffOptions } from './recovery/index';
export type { Alert as NotificationAlert, Notification, Notifier, NotifyResult, ChannelName, Matcher } from './alerting/index';
