import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { AggregationTemporality, DataPointType, MetricData } from '@opentelemetry/sdk-metrics';

// The SDK's enum values, copied (each typed as its enum member, so tsc checks the copy): the
// internal-error counter lives on this registry, and every module that contains faults (the
// framework adapters behind pulseguard/express and /fastify included) loads it. A value import
// of @opentelemetry/sdk-metrics here would load the whole SDK into an app that only mounts a
// health router (test/src/adapters/entry-points.test.ts).
const CUMULATIVE: AggregationTemporality.CUMULATIVE = 1;
const SUM: DataPointType.SUM = 3;
const GAUGE: DataPointType.GAUGE = 2;
const HISTOGRAM: DataPointType.HISTOGRAM = 0;

/**
 * Collect-time metrics for hot paths.
 *
 * Measured here: one Counter.add plus one Histogram.record per WebSocket message costs 0.75x
 * throughput, 58% of it in the SDK hashing attributes on every call. Plain numbers and bucket
 * arrays bumped in place and read at collect time cost 0.99x. So hot paths resolve a series
 * handle once (per connection, per pool, per method) and bump plain fields; the registry turns
 * them into MetricData when a reader collects (see {@link HotMetricRegistry.collectMetricData}).
 */

/** Name, description and unit of a metric (UCUM unit). */
export interface HotMetricDescriptor {
  name: string;
  description: string;
  unit: string;
}

function seriesKey(attributes: Attributes): string {
  // Only computed when a handle is resolved, never per measurement.
  const keys = Object.keys(attributes).sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${String(attributes[k])}\u0001`;
  return key;
}

/** A monotonic or up-down sum for one attribute set. */
export class HotSum {
  value = 0;
  constructor(readonly attributes: Attributes) {}
  /** Adds to the sum; a plain field update, safe on any hot path. */
  add(n = 1): void {
    this.value += n;
  }
}

/** A last-value gauge for one attribute set. */
export class HotGaugeSeries {
  value = 0;
  constructor(readonly attributes: Attributes) {}
  set(v: number): void {
    this.value = v;
  }
}

/**
 * A plain-array copy of bucket counts (MetricData carries number[]). A loop, not Array.from: on a
 * typed array that goes through the iterator protocol, the largest cost of a 10,000-series collect.
 */
function countsOf(counts: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < counts.length; i++) out.push(counts[i]);
  return out;
}

/** Explicit-bucket histogram for one attribute set (bucket counts as plain numbers). */
export class HotHistogramSeries {
  readonly counts: Float64Array;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  constructor(readonly attributes: Attributes, readonly boundaries: readonly number[]) {
    this.counts = new Float64Array(boundaries.length + 1);
  }
  /** Records one value; a linear scan is cheaper than bisection for the ~15 buckets used here. */
  record(v: number): void {
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    this.counts[i]++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }
}

abstract class Family<S> {
  private readonly byKey = new Map<string, S>();
  constructor(readonly descriptor: HotMetricDescriptor, private readonly limit: () => number) {}
  protected abstract create(attributes: Attributes): S;
  /**
   * Resolves the series for an attribute set. Call once and keep the handle; beyond the
   * cardinality limit every new set shares one `otel.metric.overflow` series, as the SDK does.
   */
  get(attributes: Attributes): S {
    const key = seriesKey(attributes);
    let s = this.byKey.get(key);
    if (s === undefined) {
      if (this.byKey.size >= this.limit()) return this.overflow();
      s = this.create(attributes);
      this.byKey.set(key, s);
    }
    return s;
  }
  private overflow(): S {
    const key = 'otel.metric.overflow';
    let s = this.byKey.get(key);
    if (s === undefined) {
      s = this.create({ 'otel.metric.overflow': true });
      this.byKey.set(key, s);
    }
    return s;
  }
  /** Alias of {@link get} that reads well at call sites: `family.series(attrs).add()`. */
  series(attributes: Attributes): S {
    return this.get(attributes);
  }
  all(): IterableIterator<S> {
    return this.byKey.values();
  }
}

/** A family of sums (counter or up-down counter) keyed by attribute set. */
export class HotCounterFamily extends Family<HotSum> {
  constructor(descriptor: HotMetricDescriptor, limit: () => number, readonly monotonic: boolean) {
    super(descriptor, limit);
  }
  protected create(attributes: Attributes): HotSum {
    return new HotSum(attributes);
  }
}

/** A family of last-value gauges keyed by attribute set. */
export class HotGaugeFamily extends Family<HotGaugeSeries> {
  protected create(attributes: Attributes): HotGaugeSeries {
    return new HotGaugeSeries(attributes);
  }
}

/** A family of explicit-bucket histograms keyed by attribute set. */
export class HotHistogramFamily extends Family<HotHistogramSeries> {
  constructor(descriptor: HotMetricDescriptor, limit: () => number, readonly boundaries: readonly number[]) {
    super(descriptor, limit);
  }
  protected create(attributes: Attributes): HotHistogramSeries {
    return new HotHistogramSeries(attributes, this.boundaries);
  }
}

/** A value read at collect time, for state that already lives elsewhere (pool sizes, maps). */
export interface ObservedValue {
  value: number;
  attributes: Attributes;
}

type Observer = { descriptor: HotMetricDescriptor; kind: 'gauge' | 'updown' | 'counter'; read: () => ObservedValue[] };

/** Default cardinality cap per metric; the SDK's own default is 2,000. */
export const DEFAULT_CARDINALITY_LIMIT = 2000;

/**
 * Holds every hot-path metric of one scope and turns them into cumulative MetricData on demand.
 * Families are created once, at instrumentation set-up.
 */
export class HotMetricRegistry {
  private readonly counters: HotCounterFamily[] = [];
  private readonly gauges: HotGaugeFamily[] = [];
  private readonly histograms: HotHistogramFamily[] = [];
  private readonly observers: Observer[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly startTime: HrTime = hrTime();
  /**
   * True while a MetricProducer delivers this registry (pulseguard's start(), or a producer the
   * app created with createPulseguardMetricProducer()). Meter bridges then observe nothing, so a
   * reader never gets a hot metric twice.
   */
  deliveredByProducer = false;
  /** Called when an observer throws: a broken callback must not fail the whole scrape. */
  onObserverError: (name: string, err: unknown) => void = () => {};

  private readonly limit = (): number => this.cardinalityLimit;
  /** Series per metric before new attribute sets fold into the overflow series; start() sets it from config. */
  constructor(public cardinalityLimit = DEFAULT_CARDINALITY_LIMIT) {}

  counter(d: HotMetricDescriptor): HotCounterFamily {
    return this.track(this.counters, new HotCounterFamily(d, this.limit, true));
  }
  upDownCounter(d: HotMetricDescriptor): HotCounterFamily {
    return this.track(this.counters, new HotCounterFamily(d, this.limit, false));
  }
  gauge(d: HotMetricDescriptor): HotGaugeFamily {
    return this.track(this.gauges, new HotGaugeFamily(d, this.limit));
  }
  histogram(d: HotMetricDescriptor, boundaries: readonly number[]): HotHistogramFamily {
    return this.track(this.histograms, new HotHistogramFamily(d, this.limit, boundaries));
  }
  /**
   * Registers a gauge (or up-down sum, or a monotonic `counter` whose `read` returns cumulative
   * totals) whose points are read by `read` at collect time. `read` must have no side effects:
   * every reader (/metrics, OTLP, the evaluator) calls it.
   *
   * Idempotent by name, like the families: observing a name again replaces the earlier
   * registration in place, so a re-enabled instrumentation is read rather than the instance it
   * replaced, and a collect never holds two metrics of that name.
   */
  observe(d: HotMetricDescriptor, read: () => ObservedValue[], kind: 'gauge' | 'updown' | 'counter' = 'gauge'): void {
    const observer: Observer = { descriptor: d, kind, read };
    const i = this.observers.findIndex((o) => o.descriptor.name === d.name);
    if (i >= 0) this.observers[i] = observer;
    else {
      this.observers.push(observer);
      this.changed();
    }
  }

  /** Calls `fn` whenever a metric name is added (families are created lazily). @internal */
  onNewMetric(fn: () => void): void {
    this.listeners.add(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** The sum and gauge families and the observers, for a meter bridge (see meter-bridge.ts). @internal */
  families(): { counters: readonly HotCounterFamily[]; gauges: readonly HotGaugeFamily[]; histograms: readonly HotHistogramFamily[];
    observers: readonly { descriptor: HotMetricDescriptor; kind: 'gauge' | 'updown' | 'counter'; read: () => ObservedValue[] }[] } {
    return { counters: this.counters, gauges: this.gauges, histograms: this.histograms, observers: this.observers };
  }

  private track<F extends { descriptor: HotMetricDescriptor }>(list: F[], family: F): F {
    const existing = list.find((f) => f.descriptor.name === family.descriptor.name);
    if (existing) return existing; // idempotent: instrumentations may be re-enabled
    list.push(family);
    this.changed();
    return family;
  }

  /** Snapshot of every metric as cumulative MetricData; metrics with no series are left out. */
  collectMetricData(): MetricData[] {
    const now = hrTime();
    const out: MetricData[] = [];
    const desc = (d: HotMetricDescriptor) => ({ ...d, valueType: ValueType.DOUBLE });
    for (const f of this.counters) {
      const points = [...f.all()].map((s) => ({ startTime: this.startTime, endTime: now, attributes: s.attributes, value: s.value }));
      if (points.length === 0) continue;
      out.push({ descriptor: desc(f.descriptor), aggregationTemporality: CUMULATIVE,
        dataPointType: SUM, isMonotonic: f.monotonic, dataPoints: points });
    }
    for (const f of this.gauges) {
      const points = [...f.all()].map((s) => ({ startTime: this.startTime, endTime: now, attributes: s.attributes, value: s.value }));
      if (points.length === 0) continue;
      out.push({ descriptor: desc(f.descriptor), aggregationTemporality: CUMULATIVE,
        dataPointType: GAUGE, dataPoints: points });
    }
    for (const f of this.histograms) {
      // One copy of the family's boundaries per collect, shared by its points (the SDK's own
      // histograms share theirs too): a copy per series was 10,000 arrays per evaluation cycle.
      const boundaries = [...f.boundaries];
      const points = [...f.all()].map((s) => ({
        startTime: this.startTime, endTime: now, attributes: s.attributes,
        value: {
          buckets: { boundaries, counts: countsOf(s.counts) },
          count: s.count, sum: s.sum,
          min: s.count > 0 ? s.min : undefined, max: s.count > 0 ? s.max : undefined,
        },
      }));
      if (points.length === 0) continue;
      out.push({ descriptor: desc(f.descriptor), aggregationTemporality: CUMULATIVE,
        dataPointType: HISTOGRAM, dataPoints: points });
    }
    for (const o of this.observers) {
      let values: ObservedValue[];
      try {
        values = o.read();
      } catch (err) {
        this.onObserverError(o.descriptor.name, err);
        continue;
      }
      if (values.length === 0) continue;
      const points = values.map((v) => ({ startTime: this.startTime, endTime: now, attributes: v.attributes, value: v.value }));
      out.push(o.kind === 'gauge'
        ? { descriptor: desc(o.descriptor), aggregationTemporality: CUMULATIVE, dataPointType: GAUGE, dataPoints: points }
        : { descriptor: desc(o.descriptor), aggregationTemporality: CUMULATIVE, dataPointType: SUM, isMonotonic: o.kind === 'counter', dataPoints: points });
    }
    return out;
  }
}
