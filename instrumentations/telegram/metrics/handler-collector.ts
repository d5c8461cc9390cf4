import type { Attributes } from '@opentelemetry/api';
import type { HotHistogramSeries, HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { ATTR_RPC_SYSTEM, ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_UPDATE_TYPE, METRIC_TELEGRAM_UPDATE_HANDLER_DURATION,
  RPC_SYSTEM_VALUE_TELEGRAM, UPDATE_TYPE_VALUE_OTHER } from '../semconv';
import { BaseCollector } from './base-collector';

/** Seconds; a handler that answers a message takes milliseconds, one that calls Telegram a round trip or more. */
export const UPDATE_HANDLER_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Most distinct update type names kept as attribute values; the TL schema has about 150 update types. */
const MAX_UPDATE_TYPES = 256;
// TL class names of updates (UpdateNewMessage, UpdateShortMessage...) and GramJS's UpdateConnectionState.
const TYPE_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

/** What one (account, update type) pair resolves to once: its histogram series and its span's attributes. @internal */
export interface HandlerSeries {
  readonly series: HotHistogramSeries;
  /** Reused for every span of this pair (the SDK copies span attributes), so no object per run. */
  readonly spanAttributes: Attributes;
}

/**
 * telegram.update.handler.duration: how long the app's update handlers run, per update type
 * (and account). Series are resolved once per pair and kept in nested maps keyed by the strings
 * GramJS already holds, so a handler run costs two Map lookups and a histogram bump: no key
 * string, no attribute object. @internal
 */
export class HandlerCollector extends BaseCollector {
  private readonly histogram;
  private readonly byAccount = new Map<string, Map<string, HandlerSeries>>();
  private readonly types = new Set<string>();

  constructor(registry: HotMetricRegistry) {
    super(registry);
    this.histogram = registry.histogram({ name: METRIC_TELEGRAM_UPDATE_HANDLER_DURATION, unit: 's',
      description: 'Duration of each run of an update handler the app registered, by update type.' }, UPDATE_HANDLER_BUCKETS);
  }

  /** The series of handler runs for `type` (a TL update class name) on `account` (undefined: no alias). */
  seriesFor(type: string, account: string | undefined): HandlerSeries {
    const accountKey = account ?? '';
    let byType = this.byAccount.get(accountKey);
    if (byType === undefined) {
      byType = new Map();
      this.byAccount.set(accountKey, byType);
    }
    let s = byType.get(type);
    if (s === undefined) {
      const bounded = this.bound(type);
      s = bounded === type ? undefined : byType.get(bounded);
      if (s === undefined) {
        const attributes: Attributes = account === undefined
          ? { [ATTR_TELEGRAM_UPDATE_TYPE]: bounded } : { [ATTR_TELEGRAM_UPDATE_TYPE]: bounded, [ATTR_TELEGRAM_ACCOUNT]: account };
        s = { series: this.histogram.series(attributes), spanAttributes: { ...attributes, [ATTR_RPC_SYSTEM]: RPC_SYSTEM_VALUE_TELEGRAM } };
        byType.set(bounded, s);
      }
      // Only names within the bound get their own entry: an unbounded stream of odd names cannot grow the map.
      if (bounded === type) byType.set(type, s);
    }
    return s;
  }

  private bound(type: string): string {
    if (this.types.has(type)) return type;
    if (this.types.size >= MAX_UPDATE_TYPES || !TYPE_NAME.test(type)) return UPDATE_TYPE_VALUE_OTHER;
    this.types.add(type);
    return type;
  }
}
