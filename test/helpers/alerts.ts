import type { Alert, Notification } from '../../src/alerting/index';

/** A firing alert with the given name and severity, started at `at`. */
export function firing(name: string, severity: string, at = new Date(0), extra: Record<string, string> = {}): Alert {
  return { labels: { alertname: name, severity, ...extra }, annotations: { summary: `${name} is high`, runbook_url: 'https://runbooks.example/' + name },
    status: 'firing', startsAt: at, value: 0.75, threshold: 0.5 };
}

/** The resolved form of an alert. */
export function resolved(a: Alert, at = new Date(0)): Alert {
  return { ...a, status: 'resolved', endsAt: at };
}

/** A one-alert notification. */
export function notification(groupKey: string, a: Alert): Notification {
  return { groupKey, groupLabels: { alertname: a.labels.alertname }, status: a.status, alerts: [a], reason: 'new', level: 'high', repeat: 0 };
}
