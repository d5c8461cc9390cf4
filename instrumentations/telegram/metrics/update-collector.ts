import type { HotMetricRegistry, HotSum } from '../../../src/metrics/hot-metrics';
import { ATTR_TELEGRAM_UPDATE_TYPE, METRIC_TELEGRAM_UPDATES, METRIC_TELEGRAM_UPDATES_AGE } from '../semconv';
import { BaseCollector } from './base-collector';

/** telegram.updates (by type) and telegram.updates.age (staleness). @internal */
export class UpdateCollector extends BaseCollector {
  private readonly updates;
  private readonly handles = this.cache<HotSum>(512);
  /** ms timestamp of the last update, or of start-up before any arrived. */
  lastUpdateAt: number;
  total = 0;

  constructor(registry: HotMetricRegistry, private readonly now: () => number = Date.now) {
    super(registry);
    this.lastUpdateAt = now();
    this.updates = registry.counter({ name: METRIC_TELEGRAM_UPDATES, unit: '{update}', description: 'Telegram updates received, by type.' });
    registry.observe({ name: METRIC_TELEGRAM_UPDATES_AGE, unit: 's',
      description: 'Seconds since the last Telegram update (an update stream that stopped silently grows this).' },
    () => [{ value: this.ageSeconds(), attributes: {} }]);
  }

  /** Counts one update of TL type `type`. */
  record(type: string): void {
    this.total += 1;
    this.lastUpdateAt = this.now();
    this.handles.get(type, () => this.updates.series({ [ATTR_TELEGRAM_UPDATE_TYPE]: type })).add(1);
  }

  ageSeconds(): number {
    return Math.max(0, (this.now() - this.lastUpdateAt) / 1000);
  }
}
