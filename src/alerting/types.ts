/** Levels of the specification's alerting matrix. */
export type MatrixLevel = 'high' | 'medium' | 'low';

/** Channels pulseguard can notify. */
export type ChannelName = 'log' | 'slack' | 'email' | 'alertmanager' | 'webhook';

/**
 * One alert instance (one rule + label set), in Alertmanager's shape so it maps 1:1 onto
 * POST /api/v2/alerts and the webhook payload.
 */
export interface Alert {
  /** Identity: alertname, severity and the rule's group-by labels. */
  labels: Record<string, string>;
  /** summary, description, runbook_url... (templated by the evaluator). */
  annotations: Record<string, string>;
  status: 'firing' | 'resolved';
  startsAt: Date;
  /** Set when resolved. */
  endsAt?: Date;
  /** The value that crossed the level, and the level itself, when known. */
  value?: number;
  threshold?: number;
  generatorURL?: string;
}

/**
 * The app's last word on an alert before any channel sees it (`alerting.beforeSend`): return it,
 * changed or not, to send it, null to drop it; undefined or a throw sends it as it was.
 */
export type BeforeSendAlert = (alert: Alert) => Alert | null | undefined;

/** Why a notification is being sent (dedup stage reasons, as Alertmanager's notify stage). */
export type NotifyReason = 'new' | 'changed' | 'repeat' | 'escalation' | 'resolved';

/** What a channel receives: one aggregation group's alerts at one moment. */
export interface Notification {
  /** Stable key of the aggregation group. */
  groupKey: string;
  groupLabels: Record<string, string>;
  /** firing when any alert of the group fires. */
  status: 'firing' | 'resolved';
  alerts: Alert[];
  reason: NotifyReason;
  level: MatrixLevel;
  /** How many times this group was notified before at this level (0 for the first). */
  repeat: number;
}

/**
 * Result of one delivery attempt: retryable failures are retried with backoff,
 * others are dropped at once and counted.
 */
export type NotifyResult = { ok: true } | { ok: false; retryable: boolean; error: string };

/** A channel implementation. `notify` must not throw; it reports failures in the result. */
export interface Notifier {
  readonly channel: ChannelName;
  notify(notification: Notification, signal: AbortSignal): Promise<NotifyResult>;
}

/** Outcomes counted in pulseguard.alert.notifications. */
export type DeliveryOutcome = 'sent' | 'retried' | 'failed' | 'dropped';

/** Time source and scheduler, injected so tests run an hour of outage on a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { unref?: () => unknown } | unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
