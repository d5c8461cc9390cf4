import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { pulseguardMetrics } from '../metrics/registry';
import { METRIC_PULSEGUARD_ALERT_NOTIFICATIONS } from '../semconv';
import type * as AlertingSchemaModule from '../config/schema/alerting';
import { configErrorMap } from '../config/issue-messages';
import { AggregationGroup, type FlushDecision } from './stages/aggregation-group';
import { DeliveryQueue } from './stages/delivery-queue';
import { SilenceStore, type Matcher, type MatcherInput } from './stages/silences';
import { ChannelRouter } from './stages/channel-router';
import { alertFingerprint } from './fingerprint';
import { scrubAlert } from './scrub-alert';
import type { DispatcherState } from './journal/dispatcher-state';
import type { FleetGate } from './fleet/fleet-gate';
import { systemClock, type Alert, type ChannelName, type Clock, type DeliveryOutcome, type Notification, type Notifier } from './types';

type AlertingConfig = PulseguardConfig['alerting'];

const notificationsMetric = pulseguardMetrics.counter({
  name: METRIC_PULSEGUARD_ALERT_NOTIFICATIONS,
  description: 'Alert notifications by channel and outcome (sent, retried, failed, dropped).',
  unit: '{notification}',
});

/** Options of {@link AlertDispatcher}. */
export interface AlertDispatcherOptions {
  config: AlertingConfig;
  logger: Logger;
  notifiers: Partial<Record<ChannelName, Notifier>>;
  clock?: Clock;
  random?: () => number;
  /**
   * An alert journal keeps what is undelivered at shutdown for the next start: the queues keep it
   * (see `journalState()`) instead of counting it as dropped.
   */
  keepUndelivered?: boolean;
  /** Fleet de-duplication (`alerting.fleet`): decides whether this replica sends to the shared channels. */
  fleet?: FleetGate;
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
  /** Every firing alert, silenced or not, so the re-send loop picks it up once a silence ends. */
  private readonly firingForAlertmanager = new Map<string, Alert>();
  /** Fingerprints Alertmanager was told are firing: only these are owed a resolve. */
  private readonly postedToAlertmanager = new Set<string>();
  private readonly router: ChannelRouter;
  private resendTimer: unknown;
  private readonly warned = new Set<string>();
  readonly silences = new SilenceStore();
  /** Silences from the configuration: they come back from it, so the journal does not keep them. */
  private readonly configSilences = new Set<string>();

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
      this.configSilences.add(this.silences.add({ matchers: s.matchers as Matcher[], endsAt: new Date(s.endsAt), comment: s.comment }));
    }
    this.router = new ChannelRouter(opts.config, new Set(this.queues.keys()),
      (ch, level) => this.warnOnce(`unconfigured:${ch}`, { channel: ch, matrixLevel: level }, 'alerting matrix names a channel that is not configured; notifications for it are skipped'));
    if (this.queues.has('alertmanager')) this.scheduleResend();
  }

  /** Feeds one alert state change (from the evaluator's firing/resolved events, a crash, a new error group). */
  receive(input: Alert): void {
    // Redacted, then the app's beforeSend: before silences, grouping and every channel.
    const alert = scrubAlert(input, this.opts.config.beforeSend);
    if (!alert) return;
    const now = this.clock.now();
    // Silences are applied when notifications are sent (as Alertmanager does), not here: a
    // silenced alert still enters its group, so its resolve is seen and a silence added later
    // stops its repeats.
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
    if (alert.status === 'firing') {
      this.firingForAlertmanager.set(fp, alert);
      if (!this.isMuted(alert.labels)) this.postToAlertmanager(fp, alert, this.postedToAlertmanager.has(fp) ? 'changed' : 'new');
    } else {
      this.firingForAlertmanager.delete(fp);
      // Only an alert Alertmanager was told about is owed a resolve (fired and resolved while
      // silenced: nothing to say).
      if (this.postedToAlertmanager.delete(fp)) {
        q.enqueue({ groupKey: `am:${fp}`, groupLabels: {}, status: 'resolved', alerts: [alert], reason: 'resolved', level: 'low', repeat: 0 });
      }
    }
  }

  private postToAlertmanager(fp: string, alert: Alert, reason: Notification['reason']): void {
    this.postedToAlertmanager.add(fp);
    this.queues.get('alertmanager')?.enqueue({ groupKey: `am:${fp}`, groupLabels: {}, status: 'firing', alerts: [alert], reason, level: 'low', repeat: 0 });
  }

  private isMuted(labels: Record<string, string>): boolean {
    return this.silences.isSilenced(labels, this.clock.now());
  }

  private scheduleResend(): void {
    const interval = this.opts.config.channels.alertmanager?.resendIntervalMs ?? 60_000;
    this.resendTimer = this.clock.setTimeout(() => {
      for (const [fp, a] of this.firingForAlertmanager) {
        // A silenced alert is not re-sent (Alertmanager expires it after resolve_timeout); once
        // the silence ends, it is posted again.
        if (!this.isMuted(a.labels)) this.postToAlertmanager(fp, a, this.postedToAlertmanager.has(fp) ? 'repeat' : 'new');
      }
      this.scheduleResend();
    }, interval);
  }

  private scheduleGroup(group: AggregationGroup, delayMs: number): void {
    this.groupTimers.set(group.key, this.clock.setTimeout(() => this.flushGroup(group), delayMs));
  }

  private flushGroup(group: AggregationGroup): void {
    this.groupTimers.delete(group.key);
    const decision = group.flush(this.clock.now(), (l) => this.opts.config.matrix[l], (labels) => this.isMuted(labels));
    if (decision) this.route(group, decision);
    if (group.isEmpty) {
      this.groups.delete(group.key);
      return;
    }
    this.scheduleGroup(group, this.opts.config.groupIntervalMs);
  }

  private route(group: AggregationGroup, d: FlushDecision): void {
    const n: Notification = {
      groupKey: group.key, groupLabels: group.labels,
      status: d.alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
      alerts: d.alerts, reason: d.reason, level: d.level, repeat: d.repeat,
    };
    // Alertmanager gets every alert directly; never a second time through the matrix.
    const channels = this.router.channelsFor(d.level, d.reason).filter((ch) => ch !== 'alertmanager');
    const enqueue = (ch: ChannelName): void => void this.queues.get(ch)?.enqueue(n);
    if (this.opts.fleet) this.opts.fleet.route(n, channels, enqueue);
    else channels.forEach(enqueue);
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

  /**
   * Adds a silence: alerts whose labels match every matcher are not notified until `endsAt`
   * (their resolves still are, when they were announced). Validated like `alerting.silences`:
   * a matcher's `isEqual` defaults to true and `isRegex` to false; a bad input throws a TypeError
   * naming the field. Returns the silence's id (for {@link AlertDispatcher.unsilence}).
   */
  silence(matchers: MatcherInput[], endsAt: Date, comment?: string): string {
    // zod loads with the first silence added at run time, not at start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const schema = (require('../config/schema/alerting') as typeof AlertingSchemaModule).runtimeSilenceSchema();
    const parsed = schema.safeParse({ matchers, endsAt, comment }, { errorMap: configErrorMap });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${['silence', ...i.path.map(String)].join('.')}: ${i.message}`);
      throw new TypeError(`invalid silence: ${problems.join('; ')}`);
    }
    return this.silences.add({ matchers: parsed.data.matchers as Matcher[], endsAt: parsed.data.endsAt, comment: parsed.data.comment });
  }

  /** Removes a silence before it expires; returns whether it existed. */
  unsilence(id: string): boolean {
    return this.silences.remove(id);
  }

  /** What the alert journal keeps: groups, undelivered notifications, run-time silences, Alertmanager's firing alerts. */
  journalState(): DispatcherState {
    const now = this.clock.now();
    return {
      groups: [...this.groups.values()].map((g) => g.state()),
      queued: [...this.queues].flatMap(([channel, q]) => q.waiting().map((entry) => ({ channel, entry }))),
      silences: this.silences.active(now).filter((x) => !this.configSilences.has(x.id)),
      alertmanager: [...this.firingForAlertmanager.values()],
      alertmanagerPosted: [...this.postedToAlertmanager],
    };
  }

  /**
   * Restores what a previous run kept, before any alert arrives: silences, undelivered
   * notifications (sent at once, to the channels still configured), and the groups and
   * Alertmanager alerts whose owner restored them too (`keep`: the evaluator's rules), so an alert
   * announced before the restart is not announced again and its resolve is still sent.
   */
  restore(state: DispatcherState, keep: (a: Alert) => boolean): void {
    const now = this.clock.now();
    for (const x of state.silences) if (x.endsAt.getTime() > now) this.silences.add(x);
    for (const g of state.groups) {
      const alerts = g.alerts.filter(keep);
      if (alerts.length === 0 || this.groups.has(g.key)) continue;
      const kept = new Set(alerts.map((a) => alertFingerprint(a.labels)));
      const group = AggregationGroup.restore({ ...g, alerts, announced: g.announced.filter((fp) => kept.has(fp)), lastFiring: g.lastFiring.filter((fp) => kept.has(fp)) });
      this.groups.set(group.key, group);
      this.scheduleGroup(group, this.opts.config.groupWaitMs);
    }
    const posted = new Set(state.alertmanagerPosted);
    for (const a of state.alertmanager.filter(keep)) {
      const fp = alertFingerprint(a.labels);
      this.firingForAlertmanager.set(fp, a);
      if (posted.has(fp)) this.postedToAlertmanager.add(fp);
    }
    const byChannel = new Map<ChannelName, DispatcherState['queued'][number]['entry'][]>();
    for (const { channel, entry } of state.queued) {
      if (this.queues.has(channel)) byChannel.set(channel, [...(byChannel.get(channel) ?? []), entry]);
      else this.onOutcome(channel, 'dropped', entry.n, 'channel no longer configured');
    }
    for (const [channel, entries] of byChannel) this.queues.get(channel)?.restore(entries);
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
      const d = g.flush(this.clock.now(), (l) => this.opts.config.matrix[l], (labels) => this.isMuted(labels));
      if (d) this.route(g, d);
    }
    // Fleet claims in flight decide what the queues still get.
    await this.opts.fleet?.idle(deadlineMs);
    await Promise.all([...this.queues.values()].map((q) => q.flush(deadlineMs, this.opts.keepUndelivered)));
    const left = [...this.queues.values()].flatMap((q) => q.waiting().map((e) => ({ channel: q.channel, alertname: e.n.alerts.map((a) => a.labels.alertname).join(',') })));
    if (left.length > 0) this.opts.logger.warn({ undelivered: left }, 'alert notifications not delivered before shutdown; the alert journal sends them at the next start');
    for (const n of Object.values(this.opts.notifiers)) (n as { close?: () => void }).close?.();
  }
}
