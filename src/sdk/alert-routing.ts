import type { AlertsApi, Alert as EvaluatedAlert } from '../evaluator/types';
import type { AlertDispatcher } from '../alerting/alert-dispatcher';
import type { Alert as NotifiedAlert } from '../alerting/types';
import type { RecoveryRegistry } from '../recovery/recovery-registry';
import type { Logger } from '../logging/logger';

/** The evaluator's alert in the notification pipeline's (Alertmanager) shape. */
export function toNotifiedAlert(a: Readonly<EvaluatedAlert>): NotifiedAlert {
  return {
    labels: { ...a.labels },
    annotations: { ...a.annotations },
    status: a.state === 'resolved' ? 'resolved' : 'firing',
    startsAt: new Date(a.firedAt ?? a.activeAt),
    endsAt: a.resolvedAt !== undefined ? new Date(a.resolvedAt) : undefined,
    value: a.value,
    threshold: a.threshold,
  };
}

/** What a recovery run is keyed on: the alert's own labels, so each label set recovers on its own. */
function recoveryTarget(a: Readonly<EvaluatedAlert>): string {
  const { alertname: _n, severity: _s, ...rest } = a.labels;
  const parts = Object.entries(rest).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.sort().join(',') : 'default';
}

/**
 * Connects the evaluator to the notification pipeline and to recovery: every firing and resolved
 * alert is notified; a firing alert whose rule names a recovery procedure runs it (single-flight
 * and capped by the registry). Returns a function that disconnects.
 */
export function routeAlerts(alerts: AlertsApi, notifications: AlertDispatcher, recovery: RecoveryRegistry, recoveryEnabled: boolean, logger: Logger): () => void {
  const offFiring = alerts.on('firing', (a) => {
    notifications.receive(toNotifiedAlert(a));
    if (!a.recovery || !recoveryEnabled) return;
    if (!recovery.has(a.recovery)) {
      logger.warn({ alertname: a.alertname, procedure: a.recovery }, 'rule names a recovery procedure nobody registered');
    }
    void recovery.run(a.recovery, { target: recoveryTarget(a), reason: a.alertname });
  });
  const offResolved = alerts.on('resolved', (a) => notifications.receive(toNotifiedAlert(a)));
  return () => {
    offFiring();
    offResolved();
  };
}
