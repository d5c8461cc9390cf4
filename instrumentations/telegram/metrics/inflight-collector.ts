import type { HotMetricRegistry, ObservedValue } from '../../../src/metrics/hot-metrics';
import { ATTR_TELEGRAM_ACCOUNT, ATTR_TELEGRAM_METHOD_CLASS, METRIC_TELEGRAM_RPC_IN_FLIGHT, METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE } from '../semconv';
import { BaseCollector } from './base-collector';

/** One outstanding call as the collector sees it. @internal */
export interface InFlightCall {
  readonly methodClass: string;
  readonly account: string | undefined;
  /** performance.now() at the start of the call. */
  readonly start: number;
  /** The GramJS client; a call of a destroyed client never settles and is dropped. */
  readonly client?: object;
}

/**
 * telegram.rpc.in_flight and telegram.rpc.in_flight.age: calls outstanding and the age of the
 * oldest one, per method class (the TL namespace). GramJS's invoke has no timeout, so a call
 * stuck on a dead connection would otherwise never show. The hot path adds to and deletes from
 * a Set; counting happens at collect time. Classes seen once keep reporting 0, so the gauge
 * falls back instead of vanishing.
 *
 * @internal
 */
export class InFlightCollector extends BaseCollector {
  private readonly calls = new Set<InFlightCall>();
  private readonly seen = new Map<string, { methodClass: string; account: string | undefined }>();

  constructor(registry: HotMetricRegistry, private readonly now: () => number = () => performance.now()) {
    super(registry);
    registry.observe({ name: METRIC_TELEGRAM_RPC_IN_FLIGHT, unit: '{call}',
      description: 'Telegram RPC calls outstanding, by method class.' }, () => this.read(false));
    registry.observe({ name: METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, unit: 's',
      description: 'Age of the oldest outstanding Telegram RPC call, by method class (0 when none).' }, () => this.read(true));
  }

  add(call: InFlightCall): void {
    this.calls.add(call);
  }

  delete(call: InFlightCall): void {
    this.calls.delete(call);
  }

  /** Seconds the oldest outstanding call has been waiting (any class), 0 when none. */
  oldestAgeSeconds(): number {
    let oldest = Infinity;
    for (const c of this.calls) if (c.start < oldest) oldest = c.start;
    return oldest === Infinity ? 0 : Math.max(0, (this.now() - oldest) / 1000);
  }

  private read(age: boolean): ObservedValue[] {
    const t = this.now();
    const acc = new Map<string, { count: number; oldest: number }>();
    for (const c of this.calls) {
      if ((c.client as { _destroyed?: boolean } | undefined)?._destroyed === true) {
        this.calls.delete(c);
        continue;
      }
      const key = `${c.methodClass}|${c.account ?? ''}`;
      if (!this.seen.has(key) && this.seen.size < 256) this.seen.set(key, { methodClass: c.methodClass, account: c.account });
      const a = acc.get(key);
      if (a) {
        a.count += 1;
        if (c.start < a.oldest) a.oldest = c.start;
      } else {
        acc.set(key, { count: 1, oldest: c.start });
      }
    }
    const out: ObservedValue[] = [];
    for (const [key, s] of this.seen) {
      const a = acc.get(key);
      const value = a === undefined ? 0 : age ? Math.max(0, (t - a.oldest) / 1000) : a.count;
      out.push({ value, attributes: s.account === undefined
        ? { [ATTR_TELEGRAM_METHOD_CLASS]: s.methodClass }
        : { [ATTR_TELEGRAM_METHOD_CLASS]: s.methodClass, [ATTR_TELEGRAM_ACCOUNT]: s.account } });
    }
    return out;
  }
}
