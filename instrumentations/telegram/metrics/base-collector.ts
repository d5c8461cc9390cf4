import type { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { BoundedCache } from '../utils';

/**
 * Base of the Telegram metric collectors: each owns a few families in the hot registry and
 * caches resolved series handles by a string key in a bounded map, so a hot path pays one
 * Map lookup and a plain field update, never attribute hashing (docs/architecture.md,
 * "Why the hot registry exists").
 *
 * @internal
 */
export abstract class BaseCollector {
  constructor(protected readonly registry: HotMetricRegistry) {}

  /** A bounded handle cache; `limit` caps it if a key space turns out larger than designed. */
  protected cache<V>(limit = 1024): BoundedCache<V> {
    return new BoundedCache<V>(limit);
  }
}
