import type { HotHistogramSeries, HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import {
  ATTR_RPC_METHOD, ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_FLOOD_HANDLING, ATTR_TELEGRAM_FLOOD_KIND, METRIC_TELEGRAM_FLOOD_WAITS, METRIC_TELEGRAM_FLOOD_WAIT_DURATION,
} from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds demanded; Telegram asks for anything from 1 s to a day. */
export const FLOOD_WAIT_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600, 86400];

/** telegram.flood_waits and telegram.flood_wait.duration. @internal */
export class FloodCollector extends BaseCollector {
  private readonly waits;
  private readonly duration;
  private readonly waitHandles = this.cache<HotSum>();
  private readonly durationHandles = this.cache<HotHistogramSeries>();
  /** Timestamps (ms) of recent flood waits, for the per-hour count in the health snapshot. */
  private readonly recent: number[] = [];

  constructor(registry: HotMetricRegistry, private readonly now: () => number = Date.now) {
    super(registry);
    this.waits = registry.counter({ name: METRIC_TELEGRAM_FLOOD_WAITS, unit: '{wait}',
      description: 'Flood waits received, by method, kind and handling (auto_sleep, upload_sleep, raised).' });
    this.duration = registry.histogram({ name: METRIC_TELEGRAM_FLOOD_WAIT_DURATION, unit: 's',
      description: 'Seconds each flood wait demanded.' }, FLOOD_WAIT_BUCKETS);
  }

  /** Records one flood wait. */
  record(method: string, kind: string, handling: string, seconds: number, account?: string): void {
    this.waitHandles.get(`${method}|${kind}|${handling}|${account ?? ''}`, () => this.waits.series(account === undefined
      ? { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_FLOOD_KIND]: kind, [ATTR_TELEGRAM_FLOOD_HANDLING]: handling }
      : { [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_FLOOD_KIND]: kind, [ATTR_TELEGRAM_FLOOD_HANDLING]: handling, [ATTR_TELEGRAM_ACCOUNT]: account },
    )).add(1);
    this.durationHandles.get(`${method}|${kind}`, () => this.duration.series({ [ATTR_RPC_METHOD]: method, [ATTR_TELEGRAM_FLOOD_KIND]: kind })).record(seconds);
    this.recent.push(this.now());
    if (this.recent.length > 10_000) this.recent.splice(0, this.recent.length - 10_000);
  }

  /** Flood waits in the last hour (the spec's floodWait threshold is per hour). */
  lastHour(): number {
    const cutoff = this.now() - 3_600_000;
    while (this.recent.length > 0 && this.recent[0] < cutoff) this.recent.shift();
    return this.recent.length;
  }
}
