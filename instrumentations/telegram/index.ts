export { TelegramInstrumentation } from './instrumentation';
export { DEFAULT_CONFIG } from './types';
export type { TelegramInstrumentationConfig, TelegramRpcInfo, TelegramSessionErrorInfo } from './types';
export { classifyError } from './error-classifier';
export type { ErrorClass } from './error-classifier';
export { TelegramSessionMonitor } from './session-monitor';
export type { MonitoredClient, SessionHealth, MonitorAction, SessionMonitorOptions } from './session-monitor';
export { createMemorySessionPool } from './session-pool';
export type { TelegramSessionPool, TelegramSessionLease } from './session-pool';
export { TelegramSendGuard, SendGuardError, POLICY_MESSAGES, POLICY_MESSAGES_PER_CHAT, POLICY_UPLOADS, POLICY_INVITES } from './send-guard';
export type { SendGuardOptions, SendGuardErrorCode, SendOptions, SendKind } from './send-guard';
export { guardClient } from './guard-client';
export type { GuardableClient } from './guard-client';
export { createMemoryLeaseStore, createRedisLeaseStore } from './session-lease';
export type { SessionLeaseStore } from './session-lease';
export { DeadlineError } from './deadline';
export { DcProbe } from './dc-probe';
export type { DcProbeOptions, ProbeableClient } from './dc-probe';
export { TelegramHealth } from './telegram-health';
export type { TelegramHealthReport, SessionReport } from './telegram-health';
export { createTelegramTelemetry } from './telegram-telemetry';
export type { TelegramTelemetry, TelegramTelemetrySettings } from './telegram-telemetry';
export {
  METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_ERRORS, METRIC_TELEGRAM_FLOOD_WAITS, METRIC_TELEGRAM_FLOOD_WAIT_DURATION,
  METRIC_TELEGRAM_DC_MIGRATIONS, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_UPDATES, METRIC_TELEGRAM_UPDATES_AGE,
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_RECONNECTS, METRIC_TELEGRAM_SESSION_ERRORS, METRIC_RATELIMIT_DECISIONS, METRIC_RATELIMIT_QUEUE_WAIT,
  ATTR_RPC_METHOD, ATTR_TELEGRAM_DC, ATTR_ERROR_TYPE, ATTR_TELEGRAM_ERROR, ATTR_TELEGRAM_FLOOD_KIND, ATTR_TELEGRAM_FLOOD_HANDLING,
  ATTR_TELEGRAM_DC_FROM, ATTR_TELEGRAM_DC_TO, ATTR_REASON, ATTR_TELEGRAM_UPDATE_TYPE, ATTR_TELEGRAM_ATTEMPT, ATTR_TELEGRAM_ATTEMPT_OUTCOME,
  ATTR_TELEGRAM_FLOOD_SECONDS, EVENT_ATTEMPT, EVENT_FLOOD_SLEEP, SESSION_ERROR_CODES,
  METRIC_TELEGRAM_RPC_IN_FLIGHT, METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, METRIC_TELEGRAM_UPDATES_DELAY,
  METRIC_TELEGRAM_UPLOAD_PART_DURATION, METRIC_TELEGRAM_ACCOUNT_LIMITS, ATTR_TELEGRAM_METHOD_CLASS, ATTR_TELEGRAM_ACCOUNT,
  LIMITED_ERROR_CODES, ROTATION_ERROR_KINDS, SESSION_ERROR_VALUE_TRANSPORT_404,
} from './semconv';
export type { TelegramErrorKind } from './semconv';
