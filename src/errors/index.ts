export { createErrorTracker, DEFAULT_MAX_GROUPS, DEFAULT_SAMPLES_PER_GROUP } from './error-tracker';
export { createCrashReporter, nodeCrashText } from './crash-reporter';
export { crashAlert, notifyCrash } from './crash-alert';
export type { CrashAlertSink, CrashAlertService } from './crash-alert';
export { createNewGroupAlerts } from './new-group-alerts';
export type { NewGroupAlertsOptions } from './new-group-alerts';
export { formatInsights } from './insights';
export type { ErrorInsights, InsightsOptions, RisingGroup } from './types';
export { SpanTrail } from './span-trail';
export type { Breadcrumb } from './breadcrumbs';
export { classifyError, compileClassificationRules, CLASSIFICATION_RULES } from './classify';
export type { ClassificationRule, ClassificationRuleInput } from './classify';
export { normaliseMessage, topInAppFrame, computeFingerprint } from './fingerprint';
export { newIncidentId } from './incident-id';
export { unhandledRejectionsMode } from './unhandled-rejections-mode';
export { LruMap } from './lru';
export {
  ERROR_CLASSES,
  ERROR_CLASS_VALUE_AUTH,
  ERROR_CLASS_VALUE_DATABASE,
  ERROR_CLASS_VALUE_NETWORK,
  ERROR_CLASS_VALUE_RATE_LIMIT,
  ERROR_CLASS_VALUE_TELEGRAM_FLOOD,
  ERROR_CLASS_VALUE_TIMEOUT,
  ERROR_CLASS_VALUE_UNKNOWN,
  ERROR_CLASS_VALUE_VALIDATION,
  METRIC_PULSEGUARD_ERRORS_GROUPS_EVICTED,
  ATTR_PULSEGUARD_ERROR_FINGERPRINT,
  LOG_FIELD_INCIDENT_ID,
  ALERT_NAME_PROCESS_CRASHED,
  ALERT_NAME_NEW_ERROR_GROUP,
} from './semconv';
export type {
  ErrorClass,
  ErrorEvent,
  ErrorEventHint,
  BeforeSendError,
  ErrorGroup,
  ErrorGroupSummary,
  ErrorSample,
  ErrorTracker,
  ErrorTrackerOptions,
  ErrorTrackerStats,
  GroupsQuery,
  TrackOptions,
  CrashOrigin,
  CrashIncident,
  CrashStatistics,
  CrashReporter,
  CrashReporterOptions,
  CrashLogger,
  UnhandledRejectionsMode,
} from './types';
