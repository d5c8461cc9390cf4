import {
  AggregationTemporality, DataPointType,
  type ExponentialHistogram, type Histogram, type MetricData, type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { MetricKind } from './known-metrics';

/** Attribute values as strings, the way Prometheus labels see them. */
export type Labels = Record<string, string>;

/**
 * The bounded sample history of one series. Plain parallel arrays, trimmed from the front,
 * because one evaluation touches every series: no per-sample objects for the GC to chase.
 */
export class SeriesWindow {
  readonly t: number[] = [];
  /** Counter/gauge value, or histogram count. */
  readonly v: number[] = [];
  /** Histogram: sum, bucket counts (cumulative since the series started) and max per sample. */
  readonly sum: number[] = [];
  /**
   * Bucket counts of every sample, flat (sample i's bucket b is at i * stride + b): no array per
   * sample, and a plain array rather than typed arrays, because thousands of small allocations
   * per evaluation made garbage collection the largest cost.
   */
  readonly flat: number[] = [];
  /** Buckets per sample (boundaries + 1). */
  stride = 0;
  readonly max: (number | undefined)[] = [];
  boundaries: readonly number[] = [];
  /** `boundaries` joined, computed when they change (merging histograms compares layouts). */
  boundariesKey = '';
  lastSeen = 0;
  /**
   * Per-rule cache of the filter result and group key: labels of a series never change, so each
   * rule matches and groups a series once, not at every evaluation.
   */
  readonly ruleCache = new Map<object, { match: boolean; key: string; group: Labels }>();
  /** Running total when the reader hands deltas instead of cumulative points. */
  private deltaBase = 0;

  constructor(readonly labels: Labels, readonly kind: MetricKind, readonly key: string = labelsKey(labels)) {}

  /** Appends a counter/gauge sample (delta points are accumulated into a cumulative value). */
  push(t: number, value: number, delta = false): void {
    if (delta) value = this.deltaBase += value;
    this.t.push(t);
    this.v.push(value);
    this.lastSeen = t;
  }

  /**
   * Appends a histogram sample. A change of bucket boundaries starts the series over (as a
   * counter reset would), because deltas between different bucket layouts mean nothing.
   */
  pushHistogram(t: number, boundaries: readonly number[], counts: ArrayLike<number>, count: number, sum: number, max: number | undefined): void {
    if (!sameBoundaries(this.boundaries, boundaries)) {
      if (this.t.length > 0) this.clear();
      this.boundaries = [...boundaries];
      this.boundariesKey = boundaries.join(',');
      this.stride = boundaries.length + 1;
    }
    this.t.push(t);
    this.v.push(count);
    this.sum.push(sum);
    for (let b = 0; b < this.stride; b++) this.flat.push(counts[b] ?? 0);
    this.max.push(max);
    this.lastSeen = t;
  }

  /** Pushes a zero sample before the first real one: the series was born after `t`. */
  pushZero(t: number): void {
    if (this.kind === 'histogram') return; // boundaries unknown yet; done in pushHistogram's caller
    this.push(t, 0);
  }

  /** Drops samples older than `cutoff`, keeping one at or before it as the window's baseline. */
  trim(cutoff: number): void {
    let n = 0;
    while (n + 1 < this.t.length && this.t[n + 1] <= cutoff) n++;
    if (n === 0) return;
    this.t.splice(0, n);
    this.v.splice(0, n);
    if (this.kind === 'histogram') {
      this.sum.splice(0, n);
      this.flat.splice(0, n * this.stride);
      this.max.splice(0, n);
    }
  }

  private clear(): void {
    this.t.length = 0;
    this.v.length = 0;
    this.sum.length = 0;
    this.flat.length = 0;
    this.max.length = 0;
  }
}

function copy(counts: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < counts.length; i++) out.push(counts[i]);
  return out;
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** All series of one metric. */
export interface MetricSeries {
  kind: MetricKind;
  unit: string;
  series: Map<string, SeriesWindow>;
  /**
   * Fast path: the SDK and the hot registry hand the same attributes object for a series at every
   * collect, so the series is found by identity without building its key.
   */
  byAttributes: WeakMap<object, SeriesWindow>;
  /** How long samples are kept. */
  retentionMs: number;
}

/** Series key: sorted label pairs. Computed once per series per ingest (not per sample read). */
export function labelsKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
}

function kindOf(m: MetricData): MetricKind {
  if (m.dataPointType === DataPointType.SUM) return m.isMonotonic ? 'counter' : 'updown';
  if (m.dataPointType === DataPointType.GAUGE) return 'gauge';
  return 'histogram';
}

/** Exponential buckets as explicit boundaries (upper bounds base^(offset+i+1)) with counts. */
function exponentialToExplicit(v: ExponentialHistogram): { boundaries: number[]; counts: number[] } {
  const base = Math.pow(2, Math.pow(2, -v.scale));
  const boundaries: number[] = [0];
  const counts: number[] = [v.zeroCount + v.negative.bucketCounts.reduce((a, b) => a + b, 0)];
  v.positive.bucketCounts.forEach((c, i) => {
    boundaries.push(Math.pow(base, v.positive.offset + i + 1));
    counts.push(c);
  });
  counts.push(0);
  return { boundaries, counts };
}

/**
 * The evaluator's sample store: every series of the metrics some rule or report reads, each a
 * bounded {@link SeriesWindow}. Kept in a process-wide object so a restarted evaluator continues.
 */
export class SeriesStore {
  readonly metrics = new Map<string, MetricSeries>();
  /** Every metric name ever seen in a collection (for the unknown-metric check). */
  readonly observedNames = new Set<string>();
  private prevIngestAt: number | undefined;

  /**
   * Ingests one collection taken at `now`. Only metrics in `retention` (name → ms) are stored.
   * A counter or histogram series first seen after an earlier ingest gets a zero sample at that
   * ingest's time, so its first increments count (Prometheus would miss them).
   */
  ingest(rm: ResourceMetrics, now: number, retention: ReadonlyMap<string, number>): void {
    for (const scope of rm.scopeMetrics) {
      for (const m of scope.metrics) {
        const name = m.descriptor.name;
        this.observedNames.add(name);
        const keep = retention.get(name);
        if (keep === undefined) continue;
        let ms = this.metrics.get(name);
        if (!ms) {
          ms = { kind: kindOf(m), unit: m.descriptor.unit, series: new Map(), byAttributes: new WeakMap(), retentionMs: keep };
          this.metrics.set(name, ms);
        }
        ms.retentionMs = keep;
        this.ingestMetric(ms, m, now);
      }
    }
    for (const ms of this.metrics.values()) {
      const cutoff = now - ms.retentionMs;
      for (const [key, w] of ms.series) {
        if (w.lastSeen < cutoff) ms.series.delete(key); // byAttributes is weak: it forgets on its own
        else w.trim(cutoff);
      }
    }
    this.prevIngestAt = now;
  }

  private ingestMetric(ms: MetricSeries, m: MetricData, now: number): void {
    const delta = m.aggregationTemporality === AggregationTemporality.DELTA;
    for (const p of m.dataPoints) {
      let w = ms.byAttributes.get(p.attributes);
      if (w !== undefined && ms.series.get(w.key) !== w) w = undefined; // expired and dropped
      let born = false;
      if (w === undefined) {
        const labels: Labels = {};
        for (const k in p.attributes) labels[k] = String(p.attributes[k]);
        const key = labelsKey(labels);
        w = ms.series.get(key);
        born = w === undefined && this.prevIngestAt !== undefined && this.prevIngestAt < now;
        if (!w) {
          w = new SeriesWindow(labels, ms.kind, key);
          ms.series.set(key, w);
        }
        ms.byAttributes.set(p.attributes, w);
      }
      if (m.dataPointType === DataPointType.HISTOGRAM || m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM) {
        let boundaries: readonly number[];
        let counts: ArrayLike<number>;
        let count: number;
        let sum: number;
        let max: number | undefined;
        if (m.dataPointType === DataPointType.HISTOGRAM) {
          const v = p.value as Histogram;
          ({ boundaries, counts } = v.buckets);
          count = v.count; sum = v.sum ?? 0; max = v.max;
        } else {
          const v = p.value as ExponentialHistogram;
          ({ boundaries, counts } = exponentialToExplicit(v));
          count = v.count; sum = v.sum ?? 0; max = v.max;
        }
        if (born && this.prevIngestAt !== undefined) w.pushHistogram(this.prevIngestAt, boundaries, copy(counts).fill(0), 0, 0, undefined);
        if (delta && w.t.length > 0 && w.stride === counts.length) {
          const base = (w.t.length - 1) * w.stride;
          const acc = copy(counts).map((c, i) => c + (w.flat[base + i] ?? 0));
          w.pushHistogram(now, boundaries, acc, count + w.v[w.v.length - 1], sum + w.sum[w.sum.length - 1], max);
        } else {
          w.pushHistogram(now, boundaries, counts, count, sum, max);
        }
      } else {
        if (born && ms.kind === 'counter' && this.prevIngestAt !== undefined) w.pushZero(this.prevIngestAt);
        w.push(now, p.value as number, delta && ms.kind === 'counter');
      }
    }
  }
}
