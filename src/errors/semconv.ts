/**
 * Names used by the error tracker. The metric and the `error.class` attribute are
 * shared with the core and live in `src/semconv.ts`; the closed set of class values lives here.
 */

/** Connection-level failures: ECONNRESET, ECONNREFUSED, EPIPE, DNS, pg SQLSTATE class 08, HTTP 502/503. */
export const ERROR_CLASS_VALUE_NETWORK = 'network' as const;
/** Deadlines: ETIMEDOUT, TimeoutError, pg 57014 (statement timeout), GramJS TIMEOUT, HTTP 408/504. */
export const ERROR_CLASS_VALUE_TIMEOUT = 'timeout' as const;
/** Throttling by a peer or a local limiter: HTTP 429, rate-limiter rejections. */
export const ERROR_CLASS_VALUE_RATE_LIMIT = 'rate_limit' as const;
/** Credentials or session problems: AUTH_KEY_UNREGISTERED, SESSION_REVOKED, HTTP 401/403, pg class 28. */
export const ERROR_CLASS_VALUE_AUTH = 'auth' as const;
/** Bad input: ZodError, ValidationError, HTTP 400/422. */
export const ERROR_CLASS_VALUE_VALIDATION = 'validation' as const;
/** Any other PostgreSQL error (a SQLSTATE code on a pg DatabaseError). */
export const ERROR_CLASS_VALUE_DATABASE = 'database' as const;
/** Telegram flood control: FloodWaitError, FLOOD_WAIT_n, FLOOD_PREMIUM_WAIT_n, SLOWMODE_WAIT_n, PEER_FLOOD, HTTP-like code 420. */
export const ERROR_CLASS_VALUE_TELEGRAM_FLOOD = 'telegram_flood' as const;
/** Nothing in the classification table matched. */
export const ERROR_CLASS_VALUE_UNKNOWN = 'unknown' as const;

/** Every error class, in the order the classifier tries them (unknown last). */
export const ERROR_CLASSES = [
  ERROR_CLASS_VALUE_TELEGRAM_FLOOD,
  ERROR_CLASS_VALUE_AUTH,
  ERROR_CLASS_VALUE_RATE_LIMIT,
  ERROR_CLASS_VALUE_TIMEOUT,
  ERROR_CLASS_VALUE_NETWORK,
  ERROR_CLASS_VALUE_VALIDATION,
  ERROR_CLASS_VALUE_DATABASE,
  ERROR_CLASS_VALUE_UNKNOWN,
] as const;

/** Error groups dropped from the tracker's memory because `errors.maxGroups` was reached. */
export const METRIC_PULSEGUARD_ERRORS_GROUPS_EVICTED = 'pulseguard.errors.groups.evicted' as const;
/** Span event attribute: the group fingerprint of a tracked error. */
export const ATTR_PULSEGUARD_ERROR_FINGERPRINT = 'pulseguard.error.fingerprint' as const;
/** Log field carrying the incident id the crash reporter assigned (`inc_...`). */
export const LOG_FIELD_INCIDENT_ID = 'incidentId' as const;
/** alertname of the critical alert sent when the process crashes. */
export const ALERT_NAME_PROCESS_CRASHED = 'ProcessCrashed' as const;
/** alertname of the alert sent when an error group is seen for the first time since start. */
export const ALERT_NAME_NEW_ERROR_GROUP = 'NewErrorGroup' as const;
/** The rate-limit policy (src/limits) that bounds new-error-group alerts. */
export const POLICY_ERRORS_NEW_GROUP_ALERTS = 'errors.newGroupAlerts' as const;
