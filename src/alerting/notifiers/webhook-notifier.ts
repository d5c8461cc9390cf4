import type { Alert, Notification, Notifier, NotifyResult } from '../types';
import { postJson } from './http-post';
import { alertFingerprint } from '../fingerprint';

function common(alerts: Alert[], pick: (a: Alert) => Record<string, string>): Record<string, string> {
  if (alerts.length === 0) return {};
  const [first, ...rest] = alerts.map(pick);
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((r) => r[k] === v)));
}

/** Alertmanager's zero time, which its receivers read as "no end yet" (Go's time.Time{}). */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Alertmanager's webhook payload (version 4), so existing receivers understand pulseguard. */
export function alertmanagerWebhookPayload(n: Notification, receiver: string, externalURL = ''): Record<string, unknown> {
  return {
    version: '4',
    groupKey: n.groupKey,
    truncatedAlerts: 0,
    status: n.status,
    receiver,
    groupLabels: n.groupLabels,
    commonLabels: common(n.alerts, (a) => a.labels),
    commonAnnotations: common(n.alerts, (a) => a.annotations),
    externalURL,
    alerts: n.alerts.map((a) => ({
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.status === 'resolved' ? (a.endsAt ?? new Date()).toISOString() : ZERO_TIME,
      generatorURL: a.generatorURL ?? '',
      fingerprint: alertFingerprint(a.labels),
    })),
  };
}

/** A generic webhook receiving Alertmanager's webhook format. */
export class WebhookNotifier implements Notifier {
  readonly channel = 'webhook' as const;
  constructor(private readonly url: string, private readonly headers: Record<string, string> = {}) {}
  notify(n: Notification, signal: AbortSignal): Promise<NotifyResult> {
    return postJson(this.url, alertmanagerWebhookPayload(n, 'pulseguard'), signal, this.headers);
  }
}
