import type { Alert } from '../alerting/types';
import type { Decision } from '../limits/types';
import type { CrashAlertService } from './crash-alert';
import { ALERT_NAME_NEW_ERROR_GROUP, LOG_FIELD_INCIDENT_ID, POLICY_ERRORS_NEW_GROUP_ALERTS } from './semconv';
import type { ErrorEvent } from './types';

/** What the new-group alerts ask of the one limiter (`telemetry.limits`). */
export interface NewGroupAlertLimiter {
  consume(policy: string, key: string): Promise<Decision>;
  policies(): ReadonlyMap<string, { points: number; durationMs: number }>;
}

/** Options of {@link createNewGroupAlerts}. */
export interface NewGroupAlertsOptions {
  /** Where alerts go (the alert dispatcher's `receive`). */
  receive(alert: Alert): void;
  service: CrashAlertService;
  severity: 'critical' | 'warning' | 'info';
  /**
   * The one limiter: each alert takes a point of the `errors.newGroupAlerts` policy (key: the
   * service name, so a Redis store limits the whole fleet). Without that policy (set to `false`)
   * every new group alerts.
   */
  limiter: NewGroupAlertLimiter;
  /** Each alert is resolved this long after it fired. */
  resolveAfterMs: number;
  now?: () => number;
}

/**
 * Turns "an error group was seen for the first time since start" into an alert, as Sentry's new
 * issue alerts do. Bounded like a notification should be: the limiter's `errors.newGroupAlerts`
 * policy decides (10 per hour by default; a burst of distinct errors must not page 1,000 times,
 * and the next alert says how many were held back), and each alert is resolved `resolveAfterMs`
 * after it fired (checked lazily on the next new group: no timer), so the dispatcher holds a
 * bounded number. Returns the `onNewGroup` callback of the error tracker.
 */
export function createNewGroupAlerts(options: NewGroupAlertsOptions): (event: ErrorEvent) => void {
  const now = options.now ?? Date.now;
  const limited = options.limiter.policies().get(POLICY_ERRORS_NEW_GROUP_ALERTS);
  let heldBack = 0;
  const firing: Alert[] = [];

  function resolveOld(t: number): void {
    while (firing.length > 0 && t - firing[0].startsAt.getTime() >= options.resolveAfterMs) {
      const a = firing.shift() as Alert;
      options.receive({ ...a, status: 'resolved', endsAt: new Date(t) });
    }
  }

  function send(event: ErrorEvent, t: number): void {
    const alert = newGroupAlert(event, options, t, heldBack, limited);
    heldBack = 0;
    firing.push(alert);
    options.receive(alert);
  }

  return (event) => {
    // The error that crashes the process has its own critical alert (ProcessCrashed).
    if (event.context?.[LOG_FIELD_INCIDENT_ID] !== undefined) return;
    const t = now();
    resolveOld(t);
    if (limited === undefined) {
      send(event, t);
      return;
    }
    options.limiter.consume(POLICY_ERRORS_NEW_GROUP_ALERTS, options.service.name).then(
      (d) => {
        if (d.allowed) send(event, t);
        else heldBack++;
      },
      // consume() rejects only for a usage error (the policy vanished): alert rather than lose it.
      () => send(event, t),
    );
  };
}

function newGroupAlert(e: ErrorEvent, o: NewGroupAlertsOptions, t: number, heldBack: number, policy: { points: number; durationMs: number } | undefined): Alert {
  const annotations: Record<string, string> = {
    summary: `New error group in ${o.service.name}: ${e.type}: ${e.message}`.slice(0, 500),
    description: `First seen ${e.at.toISOString()} (class ${e.errorClass}, fingerprint ${e.fingerprint})${e.code ? `, code ${e.code}` : ''}`,
  };
  if (e.release) annotations.release = e.release;
  if (e.environment) annotations.environment = e.environment;
  if (heldBack > 0 && policy !== undefined) {
    annotations.held_back = `${heldBack} more new error groups were not alerted (rate limit ${POLICY_ERRORS_NEW_GROUP_ALERTS}: ${policy.points} per ${formatWindow(policy.durationMs)})`;
  }
  return {
    labels: { alertname: ALERT_NAME_NEW_ERROR_GROUP, severity: o.severity, service: o.service.name, error_class: e.errorClass, fingerprint: e.fingerprint },
    annotations,
    status: 'firing',
    startsAt: new Date(t),
  };
}

function formatWindow(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}
