/**
 * Names shared by the SDK core. Instrumentations keep their own names in their
 * `semconv.ts`; names that are stable in OpenTelemetry come from `@opentelemetry/semantic-conventions`.
 */

/** Faults inside pulseguard that were contained instead of thrown into the host app. */
export const METRIC_PULSEGUARD_INTERNAL_ERRORS = 'pulseguard.internal.errors' as const;
/** Alerts currently firing, by alertname and severity. */
export const METRIC_PULSEGUARD_ALERTS_ACTIVE = 'pulseguard.alerts.active' as const;
/** Alert notifications by channel and outcome. */
export const METRIC_PULSEGUARD_ALERT_NOTIFICATIONS = 'pulseguard.alert.notifications' as const;
/** Recovery procedure runs by procedure and outcome. */
export const METRIC_PULSEGUARD_RECOVERY_RUNS = 'pulseguard.recovery.runs' as const;
/** Errors seen by the error tracker, by class. */
export const METRIC_PULSEGUARD_ERRORS_TRACKED = 'pulseguard.errors.tracked' as const;

/** The component of pulseguard in which a contained fault happened. */
export const ATTR_PULSEGUARD_COMPONENT = 'component' as const;
/** Error class assigned by the error tracker. */
export const ATTR_PULSEGUARD_ERROR_CLASS = 'error.class' as const;

/** Channel of `pulseguard.alert.notifications` (log, slack, email, alertmanager, webhook). */
export const ATTR_PULSEGUARD_CHANNEL = 'channel' as const;
/** Procedure of `pulseguard.recovery.runs`. */
export const ATTR_PULSEGUARD_PROCEDURE = 'procedure' as const;
/** Outcome of a notification or a recovery run. */
export const ATTR_PULSEGUARD_OUTCOME = 'outcome' as const;
/** Alert name label (Prometheus `alertname`). */
export const ATTR_ALERTNAME = 'alertname' as const;
/** Alert severity label. */
export const ATTR_SEVERITY = 'severity' as const;

/** The instrumentation scope under which pulseguard reports its own metrics. */
export const PULSEGUARD_SCOPE = 'pulseguard' as const;
