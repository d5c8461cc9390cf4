import {
  AggregationTemporality, DataPointType,
  type DataPoint, type ExponentialHistogram, type Histogram, type MetricData, type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { MetricKind } from '../metrics/types';
import { SeriesColumns, type SeriesRef } from './series-columns';
import { labelsKey, type Labels } from './series-ref';

/** All series of one metric. */
export interface MetricSeries {
  kind: MetricKind;
  unit: string;
  series: Map<string, SeriesRef>;
  /** Sample columns by bucket layout (one, keyed '', for counters and gauges). */
  columns: Map<string, SeriesColumns>;
  /**
   * The SDK and the hot registry hand the same attributes object for a series at every collect,
   * so a series is found by identity without building its key; and points usually come in the
   * same order as last time, so the object at the same position is checked first.
   */
  byAttributes: WeakMap<object, SeriesRef>;
  lastOrder: object[];
  lastRefs: SeriesRef[];
  /** Ids of dropped series, for reuse: ids stay dense, so rule caches indexed by id stay small. */
  freeIds: number[];
  nextId: number;
  /** How long samples are kept. */
  retentionMs: number;
}

function kindOf(m: MetricData): MetricKind {
  if (m.dataPointType === DataPointType.SUM) return m.isMonotonic ? 'counter' : 'updown';
  if (m.dataPointType === DataPointType.GAUGE) return 'gauge';
  return 'histogram';
}

/**
 * Exponential buckets as explicit ones: (-inf, 0] holds the zero and negative counts (latencies and
 * sizes have none), (0, base^offset] is empty, then (base^(offset+i), base^(offset+i+1)].
 */
function exponentialToExplicit(v: ExponentialHistogram): { boundaries: number[]; counts: number[] } {
  const base = Math.pow(2, Math.pow(2, -v.scale));
  const boundaries: number[] = [0, Math.pow(base, v.positive.offset)];
  const counts: number[] = [v.zeroCount + v.negative.bucketCounts.reduce((a, b) => a + b, 0), 0];
  v.positive.bucketCounts.forEach((c, i) => {
    boundaries.push(Math.pow(base, v.positive.offset + i + 1));
    counts.push(c);
  });
  counts.push(0);
  return { boundaries, counts };
}

/** Initial ring size for a retention: one row per 15 s plus the baseline, as a power of two. */
function ringSizeFor(retentionMs: number): number {
  let size = 4;
  while (size < retentionMs / 15_000 + 2 && size < 1024) size *= 2;
  return size;
}

function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The evaluator's sample store: every series of the metrics some rule or report reads, in
 * time-aligned {@link SeriesColumns}. Kept in a process-wide object so a restarted evaluator
 * continues.
 */
export class SeriesStore {
  readonly metrics = new Map<string, MetricSeries>();
  /** Every metric name ever seen in a collection (for the unknown-metric check). */
  readonly observedNames = new Set<string>();
  private prevIngestAt: number | undefined;
  /** Set by refOf: the series appeared after an earlier ingest (no object per point returned). */
  private born = false;
  private readonly rowsBegun = new Set<SeriesColumns>();
  private lastBegun: SeriesColumns | undefined;

  /**
   * Ingests one collection taken at `now`. Only metrics in `retention` (name → ms) are stored.
   * A counter or histogram series first seen after an earlier ingest gets a zero sample at that
   * ingest's time, so its first increments count (Prometheus would miss them).
   */
  ingest(rm: ResourceMetrics, now: number, retention: ReadonlyMap<string, number>): void {
    this.rowsBegun.clear();
    this.lastBegun = undefined;
    for (const scope of rm.scopeMetrics) {
      for (const m of scope.metrics) {
        const name = m.descriptor.name;
        this.observedNames.add(name);
        const keep = retention.get(name);
        if (keep === undefined) continue;
        let ms = this.metrics.get(name);
        if (!ms) {
          ms = { kind: kindOf(m), unit: m.descriptor.unit, series: new Map(), columns: new Map(), byAttributes: new WeakMap(), lastOrder: [], lastRefs: [], freeIds: [], nextId: 0, retentionMs: keep };
          this.metrics.set(name, ms);
        }
        ms.retentionMs = keep;
        this.ingestMetric(ms, m, now);
      }
    }
    for (const ms of this.metrics.values()) {
      const cutoff = now - ms.retentionMs;
      for (const [layout, cols] of ms.columns) {
        // Every store gets a row per collection, so "the row before the newest" is always the
        // previous collection (a series born now gets its zero sample there).
        this.begin(cols, ms, now);
        cols.endRow();
        if (cols.writtenInNewest === cols.size) continue;
        for (const ref of cols.refs) if (ref !== undefined && ref.lastSeen < cutoff) this.drop(ms, ref);
        if (cols.size === 0) ms.columns.delete(layout); // e.g. an exponential histogram's old layouts
      }
    }
    this.prevIngestAt = now;
  }

  private drop(ms: MetricSeries, ref: SeriesRef): void {
    if (ms.series.get(ref.key) === ref) ms.series.delete(ref.key); // byAttributes is weak: it forgets on its own
    ref.columns.remove(ref);
    ms.freeIds.push(ref.id);
  }

  /** The columns for a layout, with this collection's row begun. */
  private columnsFor(ms: MetricSeries, boundaries: readonly number[], now: number): SeriesColumns {
    const layout = boundaries.length === 0 ? '' : boundaries.join(',');
    let cols = ms.columns.get(layout);
    if (!cols) {
      ms.columns.set(layout, (cols = new SeriesColumns(ms.kind, boundaries, ringSizeFor(ms.retentionMs))));
      if (this.prevIngestAt !== undefined && this.prevIngestAt < now) {
        cols.beginRow(this.prevIngestAt); // an empty row for the previous collection (see ingest)
        cols.endRow();
      }
    }
    this.begin(cols, ms, now);
    return cols;
  }

  private begin(cols: SeriesColumns, ms: MetricSeries, now: number): void {
    if (cols === this.lastBegun) return;
    this.lastBegun = cols;
    if (this.rowsBegun.has(cols)) return;
    this.rowsBegun.add(cols);
    cols.trim(now - ms.retentionMs);
    cols.beginRow(now);
  }

  /**
   * False for a dropped series, and for one not seen for the retention: that one is dropped here,
   * so a series back after its expiry starts over whether or not an ingest swept it meanwhile.
   */
  private current(ms: MetricSeries, ref: SeriesRef, now: number): boolean {
    if (!ref.live) return false;
    if (ref.lastSeen >= now - ms.retentionMs) return true;
    this.drop(ms, ref);
    return false;
  }

  /** The series a point belongs to, created on first sight; sets `born` when it appeared after an earlier ingest. */
  private refOf(ms: MetricSeries, p: DataPoint<unknown>, i: number, now: number, boundaries: readonly number[]): SeriesRef {
    this.born = false;
    let ref: SeriesRef | undefined = ms.lastOrder[i] === p.attributes ? ms.lastRefs[i] : ms.byAttributes.get(p.attributes);
    if (ref === undefined || !this.current(ms, ref, now)) {
      const labels: Labels = {};
      for (const k in p.attributes) labels[k] = String(p.attributes[k]);
      const key = labelsKey(labels);
      ref = ms.series.get(key);
      if (ref !== undefined && !this.current(ms, ref, now)) ref = undefined;
      if (!ref) {
        this.born = this.prevIngestAt !== undefined && this.prevIngestAt < now;
        ref = this.columnsFor(ms, boundaries, now).add(labels, key, ms.freeIds.pop() ?? ms.nextId++);
        ms.series.set(key, ref);
      }
      ms.byAttributes.set(p.attributes, ref);
    }
    if (ms.kind === 'histogram' && !sameBoundaries(ref.columns.boundaries, boundaries)) {
      // New bucket boundaries start the series over: deltas across layouts mean nothing.
      const { labels, key, id } = ref;
      ref.columns.remove(ref);
      ref = this.columnsFor(ms, boundaries, now).add(labels, key, id);
      ms.series.set(key, ref);
      ms.byAttributes.set(p.attributes, ref);
    }
    return ref;
  }

  private ingestMetric(ms: MetricSeries, m: MetricData, now: number): void {
    const delta = m.aggregationTemporality === AggregationTemporality.DELTA;
    const points: DataPoint<unknown>[] = m.dataPoints;
    const histogram = m.dataPointType === DataPointType.HISTOGRAM || m.dataPointType === DataPointType.EXPONENTIAL_HISTOGRAM;
    ms.lastOrder.length = points.length;
    ms.lastRefs.length = points.length;
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (histogram) {
        let boundaries: readonly number[];
        let counts: ArrayLike<number>;
        const v = p.value as Histogram | ExponentialHistogram;
        if (m.dataPointType === DataPointType.HISTOGRAM) ({ boundaries, counts } = (v as Histogram).buckets);
        else ({ boundaries, counts } = exponentialToExplicit(v as ExponentialHistogram));
        const ref = this.track(ms, p, i, now, boundaries);
        if (this.born) ref.columns.writeZeroBefore(ref);
        ref.columns.writeHistogram(ref, counts, v.count, v.sum ?? 0, v.max, delta);
      } else {
        const ref = this.track(ms, p, i, now, []);
        if (this.born && ms.kind === 'counter') ref.columns.writeZeroBefore(ref);
        ref.columns.write(ref, p.value as number, delta && ms.kind !== 'gauge');
      }
    }
  }

  private track(ms: MetricSeries, p: DataPoint<unknown>, i: number, now: number, boundaries: readonly number[]): SeriesRef {
    const ref = this.refOf(ms, p, i, now, boundaries);
    this.begin(ref.columns, ms, now);
    ms.lastOrder[i] = p.attributes;
    ms.lastRefs[i] = ref;
    return ref;
  }
}
