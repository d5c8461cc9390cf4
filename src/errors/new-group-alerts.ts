import type { Alert } from '../alerting/types';
import type { CrashAlertService } from './crash-alert';
import { ALERT_NAME_NEW_ERROR_GROUP, LOG_FIELD_INCIDENT_ID } from './semconv';
import type { ErrorEvent } from './types';

/** Options of {@link createNewGroupAlerts}. */
export interface NewGroupAlertsOptions {
  /** Where alerts go (the alert dispatcher's `receive`). */
  receive(alert: Alert): void;
  service: CrashAlertService;
  severity: 'critical' | 'warning' | 'info';
  /** At most this many alerts per window; the others are counted and named in the next one. */
  maxPerWindow: number;
  windowMs: number;
  now?: () => number;
}

/**
 * Turns "an error group was seen for the first time since start" into an alert, as Sentry's new
 * issue alerts do. Bounded like a notification should be: at most `maxPerWindow` alerts per
 * window (a burst of distinct errors must not page 1,000 times; the next alert says how many were
 * held back), and each alert is resolved one window after it fired (checked lazily on the next
 * new group: no timer), so the dispatcher never holds more than about two windows' worth.
 * Returns the `onNewGroup` callback of the error tracker.
 */
export function createNewGroupAlerts(options: NewGroupAlertsOptions): (event: ErrorEvent) => void {
  const now = options.now ?? Date.now;
  let windowStart = -Infinity;
  let sentInWindow = 0;
  let heldBack = 0;
  const firing: Alert[] = [];

  function resolveOld(t: number): void {
    while (firing.length > 0 && t - firing[0].startsAt.getTime() >= options.windowMs) {
      const a = firing.shift() as Alert;
      options.receive({ ...a, status: 'resolved', endsAt: new Date(t) });
    }
  }

  return (event) => {
    // The error that crashes the process has its own critical alert (ProcessCrashed).
    if (event.context?.[LOG_FIELD_INCIDENT_ID] !== undefined) return;
    const t = now();
    resolveOld(t);
    if (t - windowStart >= options.windowMs) {
      windowStart = t;
      sentInWindow = 0;
    }
    if (sentInWindow >= options.maxPerWindow) {
      heldBack++;
      return;
    }
    sentInWindow++;
    const alert = newGroupAlert(event, options, t, heldBack);
    heldBack = 0;
    firing.push(alert);
    options.receive(alert);
  };
}

function newGroupAlert(e: ErrorEvent, o: NewGroupAlertsOptions, t: number, heldBack: number): Alert {
  const annotations: Record<string, string> = {
    summary: `New error group in ${o.service.name}: ${e.type}: ${e.message}`.slice(0, 500),
    description: `First seen ${e.at.toISOString()} (class ${e.errorClass}, fingerprint ${e.fingerprint})${e.code ? `, code ${e.code}` : ''}`,
  };
  if (e.release) annotations.release = e.release;
  if (e.environment) annotations.environment = e.environment;
  if (heldBack > 0) annotations.held_back = `${heldBack} more new error groups were not alerted (at most ${o.maxPerWindow} per ${Math.round(o.windowMs / 60_000)} min)`;
  return {
    labels: { alertname: ALERT_NAME_NEW_ERROR_GROUP, severity: o.severity, service: o.service.name, error_class: e.errorClass, fingerprint: e.fingerprint },
    annotations,
    status: 'firing',
    startsAt: new Date(t),
  };
}
