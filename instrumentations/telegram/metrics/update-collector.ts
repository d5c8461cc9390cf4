import type { HotHistogramSeries, HotMetricRegistry, HotSum, ObservedValue } from '../../../src/metrics/hot-metrics';
import {
  ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_UPDATE_TYPE, METRIC_TELEGRAM_UPDATES, METRIC_TELEGRAM_UPDATES_AGE, METRIC_TELEGRAM_UPDATES_DELAY,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds; Telegram pushes updates within a second, a catching-up client sees minutes. */
export const UPDATE_DELAY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600];

/**
 * telegram.updates (by type), telegram.updates.age (staleness, per account when the app named
 * its clients: one account's dead stream cannot hide behind another's), telegram.updates.delay
 * (arrival minus the update's own date). @internal
 */
export class UpdateCollector extends BaseCollector {
  private readonly updates;
  private readonly delay;
  private readonly handles = this.cache<HotSum>(512);
  private readonly delayHandles = this.cache<HotHistogramSeries>(64);
  /** ms timestamp of the last update, or of start-up before any arrived. */
  lastUpdateAt: number;
  /** Last update per named account (bounded by the account aliases). */
  private readonly lastByAccount = new Map<string, number>();
  total = 0;

  constructor(registry: HotMetricRegistry, private readonly now: () => number = Date.now) {
    super(registry);
    this.lastUpdateAt = now();
    this.updates = registry.counter({ name: METRIC_TELEGRAM_UPDATES, unit: '{update}', description: 'Telegram updates received, by type.' });
    this.delay = registry.histogram({ name: METRIC_TELEGRAM_UPDATES_DELAY, unit: 's',
      description: 'Delay between the date Telegram put on an update and its arrival.' }, UPDATE_DELAY_BUCKETS);
    registry.observe({ name: METRIC_TELEGRAM_UPDATES_AGE, unit: 's',
      description: 'Seconds since the last Telegram update (an update stream that stopped silently grows this).' },
    () => this.readAges());
  }

  /** Counts one update of TL type `type` for `account` (undefined when the client has no alias). */
  record(type: string, account?: string): void {
    this.total += 1;
    const t = this.now();
    this.lastUpdateAt = t;
    if (account !== undefined) this.lastByAccount.set(account, t);
    const key = account === undefined ? type : `${type}|${account}`;
    this.handles.get(key, () => this.updates.series(account === undefined
      ? { [ATTR_TELEGRAM_UPDATE_TYPE]: type } : { [ATTR_TELEGRAM_UPDATE_TYPE]: type, [ATTR_TELEGRAM_ACCOUNT]: account })).add(1);
  }

  /** Records the delay of an update whose own date is `dateSeconds` (unix seconds; 0 means none). */
  recordDelay(dateSeconds: number, account?: string): void {
    if (!(dateSeconds > 0)) return;
    const seconds = Math.max(0, this.now() / 1000 - dateSeconds);
    this.delayHandles.get(account ?? '', () => this.delay.series(account === undefined ? {} : { [ATTR_TELEGRAM_ACCOUNT]: account })).record(seconds);
  }

  ageSeconds(): number {
    return Math.max(0, (this.now() - this.lastUpdateAt) / 1000);
  }

  /** Registers an account so its staleness is reported from now on, even before its first update. */
  watchAccount(account: string): void {
    if (!this.lastByAccount.has(account)) this.lastByAccount.set(account, this.now());
  }

  private readAges(): ObservedValue[] {
    const t = this.now();
    const out: ObservedValue[] = [{ value: this.ageSeconds(), attributes: {} }];
    for (const [account, last] of this.lastByAccount) {
      out.push({ value: Math.max(0, (t - last) / 1000), attributes: { [ATTR_TELEGRAM_ACCOUNT]: account } });
    }
    return out;
  }
}
