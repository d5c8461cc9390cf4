export { createErrorTracker, DEFAULT_MAX_GROUPS, DEFAULT_SAMPLES_PER_GROUP } from './error-tracker';
export { createCrashReporter, nodeCrashText } from './crash-reporter';
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
} from './semconv';
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
  CrashStatistics,
  CrashReporter,
  CrashReporterOptions,
  CrashLogger,
  UnhandledRejectionsMode,
} from './types';
