import type { Logger } from '../../logging/logger';
import type { Notification, Notifier, NotifyResult } from '../types';
import { describeAlert, notificationTitle } from '../format';

/** Writes notifications to the pulseguard logger (the matrix's "logs" channel). */
export class LogNotifier implements Notifier {
  readonly channel = 'log' as const;
  constructor(private readonly logger: Logger) {}
  async notify(n: Notification): Promise<NotifyResult> {
    const level = n.status === 'resolved' ? 'info' : n.level === 'high' ? 'error' : n.level === 'medium' ? 'warn' : 'info';
    this.logger[level]({ groupKey: n.groupKey, reason: n.reason, matrixLevel: n.level, alerts: n.alerts.map((a) => describeAlert(a)) }, notificationTitle(n));
    return { ok: true };
  }
}
