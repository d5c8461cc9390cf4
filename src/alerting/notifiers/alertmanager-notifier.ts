import type { Notification, Notifier, NotifyResult } from '../types';
import { postJson } from './http-post';

/**
 * Pushes alerts to Alertmanager's POST /api/v2/alerts. Firing alerts carry no endsAt (Alertmanager
 * then expires them after resolve_timeout unless re-sent, so the pipeline re-sends them while they
 * fire); a resolve re-posts the same labels with endsAt.
 */
export class AlertmanagerNotifier implements Notifier {
  readonly channel = 'alertmanager' as const;
  private readonly endpoint: string;
  constructor(baseUrl: string) {
    this.endpoint = `${baseUrl.replace(/\/+$/, '')}/api/v2/alerts`;
  }
  static payload(n: Notification): Record<string, unknown>[] {
    return n.alerts.map((a) => ({
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      ...(a.status === 'resolved' ? { endsAt: (a.endsAt ?? new Date()).toISOString() } : {}),
      ...(a.generatorURL ? { generatorURL: a.generatorURL } : {}),
    }));
  }
  notify(n: Notification, signal: AbortSignal): Promise<NotifyResult> {
    return postJson(this.endpoint, AlertmanagerNotifier.payload(n), signal);
  }
}
