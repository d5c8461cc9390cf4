import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { pulseguardMetrics } from '../metrics/registry';
import { METRIC_PULSEGUARD_ALERT_NOTIFICATIONS } from '../semconv';
import { AggregationGroup, type FlushDecision } from './stages/aggregation-group';
import { DeliveryQueue } from './stages/delivery-queue';
import { SilenceStore, type Matcher } from './stages/silences';
import { alertFingerprint } from './fingerprint';
import { scrubAlert } from './scrub-alert';
import { systemClock, type Alert, type ChannelName, type Clock, type DeliveryOutcome, type MatrixLevel, type Notification, type Notifier } from './types';

type AlertingConfig = PulseguardConfig['alerting'];

const notificationsMetric = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_ALERT_NOTIFICATIONS,
  description: 'Alert notifications by channel and outcome (sent, retried, failed, dropped).',
  unit: '{notification}',
});

const NEXT_LEVEL: Record<MatrixLevel, MatrixLevel | undefined> = { low: 'medium', medium: 'high', high: undefined };

/** Options of {@link AlertDispatcher}. */
export interface AlertDispatcherOptions {
  config: AlertingConfig;
  logger: Logger;
  notifiers: Partial<Record<ChannelName, Notifier>>;
  clock?: Clock;
  random?: () => number;
}

/**
 * Alertmanager-style notification pipeline in-process: silences, grouping with group wait and
 * group interval, routing by the specification's alerting matrix, repeats and escalation, and one
 * bounded retrying queue per channel. Alertmanager itself (when configured) receives every alert
 * directly, re-sent while firing, because it does its own grouping and routing.
 */
export class AlertDispatcher {
  private readonly clock: Clock;
  private readonly groups = new Map<string, AggregationGroup>();
  private readonly groupTimers = new Map<string, unknown>();
  private readonly queues = new Map<ChannelName, DeliveryQueue>();
  private readonly firingForAlertmanager = new Map<string, Alert>();
  private resendTimer: unknown;
  private readonly warned = new Set<string>();
  readonly silences = new SilenceStore();

  constructor(private readonly opts: AlertDispatcherOptions) {
    this.clock = opts.clock ?? systemClock;
    const d = opts.config.delivery;
    for (const [channel, notifier] of Object.entries(opts.notifiers) as [ChannelName, Notifier][]) {
      this.queues.set(channel, new DeliveryQueue(notifier, {
        capacity: d.queueSize, initialBackoffMs: d.initialBackoffMs, maxBackoffMs: d.maxBackoffMs, jitter: d.jitter,
        maxAgeMs: d.maxAgeMs, timeoutMs: d.timeoutMs, clock: this.clock, random: opts.random,
        onOutcome: (ch, outcome, n, error) => this.onOutcome(ch, outcome, n, error),
      }));
    }
    for (const s of opts.config.silences) {
      this.silences.add({ matchers: s.matchers as Matcher[], endsAt: new Date(s.endsAt), comment: s.comment });
    }
    for (const level of ['high', 'medium', 'low'] as const) {
      for (const ch of opts.config.matrix[level].channels) {
        if (!this.queues.has(ch)) this.warnOnce(`unconfigured:${ch}`, { channel: ch, matrixLevel: level }, 'alerting matrix names a channel that is not configured; notifications for it are skipped');
      }
    }
    if (this.queues.has('alertmanager')) this.scheduleResend();
  }

  /** Feeds one alert state change (from the evaluator's firing/resolved events, a crash, a new error group). */
  receive(input: Alert): void {
    // Redacted, then the app's beforeSend: before silences, grouping and every channel.
    const alert = scrubAlert(input, this.opts.config.beforeSend);
    if (!alert) return;
    const now = this.clock.now();
    if (this.silences.isSilenced(alert.labels, now)) {
      this.opts.logger.debug({ alertname: alert.labels.alertname }, 'alert silenced');
      return;
    }
    this.sendToAlertmanager(alert);
    const groupLabels = Object.fromEntries(this.opts.config.groupBy.map((k) => [k, alert.labels[k] ?? '']));
    const key = alertFingerprint(groupLabels);
    let group = this.groups.get(key);
    if (!group) {
      group = new AggregationGroup(key, groupLabels, now);
      this.groups.set(key, group);
      this.scheduleGroup(group, this.opts.config.groupWaitMs);
    }
    group.upsert(alert);
  }

  private sendToAlertmanager(alert: Alert): void {
    const q = this.queues.get('alertmanager');
    if (!q) return;
    const fp = alertFingerprint(alert.labels);
    if (alert.status === 'firing') this.firingForAlertmanager.set(fp, alert);
    else this.firingForAlertmanager.delete(fp);
    q.enqueue({ groupKey: `am:${fp}`, groupLabels: {}, status: alert.status, alerts: [alert], reason: alert.status === 'firing' ? 'new' : 'resolved', level: 'low', repeat: 0 });
  }

  private scheduleResend(): void {
    const interval = this.opts.config.channels.alertmanager?.resendIntervalMs ?? 60_000;
    this.resendTimer = this.clock.setTimeout(() => {
      const q = this.queues.get('alertmanager');
      for (const [fp, a] of this.firingForAlertmanager) {
        q?.enqueue({ groupKey: `am:${fp}`, groupLabels: {}, status: 'firing', alerts: [a], reason: 'repeat', level: 'low', repeat: 0 });
      }
      this.scheduleResend();
    }, interval);
  }

  private scheduleGroup(group: AggregationGroup, delayMs: number): void {
    this.groupTimers.set(group.key, this.clock.setTimeout(() => this.flushGroup(group), delayMs));
  }

  private flushGroup(group: AggregationGroup): void {
    this.groupTimers.delete(group.key);
    const decision = group.flush(this.clock.now(), (l) => this.opts.config.matrix[l]);
    if (decision) this.route(group, decision);
    if (group.isEmpty) {
      this.groups.delete(group.key);
      return;
    }
    this.scheduleGroup(group, this.opts.config.groupIntervalMs);
  }

  private channelsFor(d: FlushDecision): ChannelName[] {
    if (d.reason !== 'escalation') return this.opts.config.matrix[d.level].channels;
    const next = NEXT_LEVEL[d.level];
    return next ? this.opts.config.matrix[next].channels : this.opts.config.escalationChannels;
  }

  private route(group: AggregationGroup, d: FlushDecision): void {
    const n: Notification = {
      groupKey: group.key, groupLabels: group.labels,
      status: d.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      alerts: d.alerts, reason: d.reason, level: d.level, repeat: d.repeat,
    };
    // Alertmanager gets every alert directly; never a second time through the matrix.
    for (const ch of new Set(this.channelsFor(d))) if (ch !== 'alertmanager') this.queues.get(ch)?.enqueue(n);
  }

  private onOutcome(channel: string, outcome: DeliveryOutcome, n: Notification, error?: string): void {
    notificationsMetric.series({ channel, outcome }).add(1);
    const log = this.opts.logger;
    if (outcome === 'retried') this.warnOnce(`down:${channel}`, { channel, error }, 'alert channel failing; retrying with backoff');
    else if (outcome === 'sent' && this.warned.delete(`down:${channel}`)) log.info({ channel }, 'alert channel delivering again');
    else if (outcome === 'failed' || outcome === 'dropped') {
      log.error({ channel, outcome, error, alerts: n.alerts.map((a) => a.labels.alertname), groupKey: n.groupKey }, `alert notification ${outcome}`);
    }
  }

  private warnOnce(key: string, obj: Record<string, unknown>, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.logger.warn(obj, msg);
  }

  /** Adds a silence (label matchers until endsAt); returns its id. */
  silence(matchers: Matcher[], endsAt: Date, comment?: string): string {
    return this.silences.add({ matchers, endsAt, comment });
  }

  /** Notifications waiting per channel. */
  pending(): Record<string, number> {
    return Object.fromEntries([...this.queues].map(([ch, q]) => [ch, q.size]));
  }

  /** Sends what groups hold now (ignoring group wait), then flushes queues within the deadline. */
  async shutdown(deadlineMs = this.opts.config.delivery.flushTimeoutMs): Promise<void> {
    this.clock.clearTimeout(this.resendTimer);
    for (const [key, t] of this.groupTimers) {
      this.clock.clearTimeout(t);
      this.groupTimers.delete(key);
    }
    for (const g of this.groups.values()) {
      const d = g.flush(this.clock.now(), (l) => this.opts.config.matrix[l]);
      if (d) this.route(g, d);
    }
    await Promise.all([...this.queues.values()].map((q) => q.flush(deadlineMs)));
    for (const n of Object.values(this.opts.notifiers)) (n as { close?: () => void }).close?.();
  }
}
