import { ValueType, type Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Kind, Labels, Point, RefCollection } from './reference-store';

/**
 * Random metric histories for rule-values.reference.test.ts: every kind and temporality, late
 * series, missed collections, resets, series that vanish (for less or more than the retention) and
 * come back, bucket layouts that differ between series and change mid-series, histograms without
 * `max`. Each collection comes in two forms: the OTel one the evaluator reads, the reference's.
 */

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential layout: positive buckets (base^(offset+i), base^(offset+i+1)], i < n, base 2^(2^-scale). */
interface Exp { scale: number; offset: number; n: number }
/** A bucket layout: finite upper bounds, and for exponential histograms the OTel parameters. */
export interface Layout { bounds: number[]; exp?: Exp }

/**
 * An exponential histogram as explicit buckets: the zero bucket (upper bound 0), an always empty
 * (0, base^offset], then the positive buckets; counts [zero, 0, c0, ..., c(n-1), +Inf = 0].
 */
function expLayout(exp: Exp): Layout {
  const base = 2 ** (2 ** -exp.scale);
  return { bounds: [0, ...Array.from({ length: exp.n + 1 }, (_, i) => base ** (exp.offset + i))], exp };
}

/** `name`: kept short, since compiling a rule on a metric not yet seen compares its name with every known one. */
export interface MetricSpec { name: string; short: string; kind: Kind; delta: boolean; layouts: Layout[] }
const explicit = (...bounds: number[][]): Layout[] => bounds.map((b) => ({ bounds: b }));
const NO_LAYOUT: Layout[] = [{ bounds: [] }];
export const METRICS: MetricSpec[] = [
  { name: 'c', short: 'counter', kind: 'counter', delta: false, layouts: NO_LAYOUT },
  { name: 'cd', short: 'counter_delta', kind: 'counter', delta: true, layouts: NO_LAYOUT },
  { name: 'u', short: 'updown', kind: 'updown', delta: false, layouts: NO_LAYOUT },
  { name: 'ud', short: 'updown_delta', kind: 'updown', delta: true, layouts: NO_LAYOUT },
  { name: 'g', short: 'gauge', kind: 'gauge', delta: false, layouts: NO_LAYOUT },
  { name: 'h', short: 'histogram', kind: 'histogram', delta: false, layouts: explicit([0.05, 0.1, 0.25, 0.5, 1, 2.5], [0.1, 0.3, 1, 3]) },
  { name: 'hd', short: 'histogram_delta', kind: 'histogram', delta: true, layouts: explicit([0.1, 0.5, 1, 2], [0.25, 1, 4]) },
  { name: 'e', short: 'exponential', kind: 'histogram', delta: false,
    layouts: [expLayout({ scale: 1, offset: -6, n: 12 }), expLayout({ scale: 0, offset: -3, n: 6 })] },
];

/** One generated series: when it is reported, and its true state (which moves on while unreported). */
interface GenSeries {
  labels: Labels; attrs: Attributes; appear: number; disappear: number; comeback: number; absent: Set<number>; layout: number; hasMax: boolean;
  value: number; reported: number; counts: number[]; count: number; sum: number; max: number | undefined;
}

export type Tally = (what: string) => void;

export class History {
  private readonly series = new Map<MetricSpec, GenSeries[]>();

  constructor(private readonly rnd: () => number, private readonly reuseAttrs: boolean, steps: number, private readonly tally: Tally) {
    for (const m of METRICS) {
      const groups = this.int(1, 2);
      this.series.set(m, Array.from({ length: this.int(2, 4) }, (_, j) => {
        const labels = { route: groups === 1 ? 'a' : 'ab'[j % 2], inst: ['i0', 'i1', 'i2', 'i13'][j] };
        const appear = this.rnd() < 0.3 ? this.int(1, 12) : 0;
        const absent = new Set<number>();
        for (let s = 1; s < steps; s++) if (this.rnd() < 0.1 && !absent.has(s - 1)) absent.add(s);
        const disappear = this.rnd() < 0.35 ? this.int(appear + 2, steps + 5) : Infinity;
        const layout = m.layouts.length > 1 && this.rnd() < 0.35 ? 1 : 0;
        return {
          labels, attrs: { ...labels }, appear, disappear, comeback: this.rnd() < 0.7 ? disappear + this.int(2, 16) : Infinity, absent, layout,
          hasMax: this.rnd() < 0.75, value: m.kind === 'updown' && !m.delta ? this.int(-5, 30) : 0, reported: 0,
          counts: [...m.layouts[layout].bounds, 0].map(() => 0), count: 0, sum: 0, max: undefined,
        };
      }));
    }
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private observe(m: MetricSpec, g: GenSeries, n: number): void {
    const { bounds, exp } = m.layouts[g.layout];
    for (let i = 0; i < n; i++) {
      let b: number;
      let x: number;
      if (exp) { // zero, or the middle of a positive bucket (the first one included)
        b = this.rnd() < 0.1 ? 0 : this.int(2, exp.n + 1);
        x = b === 0 ? 0 : (bounds[b - 1] + bounds[b]) / 2;
      } else {
        x = this.int(1, 820) / 256;
        b = bounds.findIndex((u) => x <= u);
        if (b < 0) b = bounds.length;
      }
      g.counts[b]++;
      g.count++;
      g.sum += x;
      g.max = g.max === undefined ? x : Math.max(g.max, x);
    }
  }

  /** Moves every series one step and returns what collection `s` reports (reference and OTel forms). */
  collect(s: number): { ref: RefCollection[]; rm: ResourceMetrics } {
    const ref: RefCollection[] = [];
    const metrics: MetricData[] = [];
    for (const [m, all] of this.series) {
      const points: Point[] = [];
      const otel: { attributes: Attributes; p: Point }[] = [];
      for (const g of all) {
        const gone = s >= g.disappear && s < g.comeback;
        const present = s >= g.appear && !gone && !g.absent.has(s);
        if (!present && s > g.appear && !gone) this.tally('missed collections');
        const relayout = present && m.kind === 'histogram' && g.reported > 0 && this.rnd() < 0.04;
        const reset = present && !relayout && this.rnd() < 0.06 && (m.kind === 'counter' ? g.reported > 0 : g.reported >= 4) && !m.delta;
        if (m.kind === 'histogram') {
          if (relayout) g.layout = 1 - g.layout; // a restart with other buckets: counts start over
          if (reset || relayout || m.delta) Object.assign(g, { counts: [...m.layouts[g.layout].bounds, 0].map(() => 0), count: 0, sum: 0, max: undefined });
          if (reset) this.tally('histogram resets');
          if (present || !m.delta) this.observe(m, g, reset ? this.int(1, 3) : this.int(0, 5));
        } else if (m.kind === 'counter') {
          if (reset) this.tally('counter resets');
          g.value = reset ? this.int(0, g.reported - 1) : m.delta ? this.int(0, 12) : g.value + this.int(0, 12);
        } else {
          g.value = m.kind === 'gauge' ? this.int(0, 800) / 8 : m.delta ? this.int(-10, 10) : g.value + this.int(-10, 10);
        }
        if (!present) continue;
        const p: Point = {
          labels: g.labels, bounds: m.layouts[g.layout].bounds, v: m.kind === 'histogram' ? g.count : g.value,
          sum: g.sum, buckets: [...g.counts], max: g.hasMax ? g.max : undefined,
        };
        g.reported = p.v;
        points.push(p);
        otel.push({ attributes: this.reuseAttrs ? g.attrs : { ...g.labels }, p });
      }
      if (points.length === 0) continue;
      ref.push({ name: m.name, kind: m.kind, delta: m.delta, points });
      metrics.push(metricData(m, otel));
    }
    return { ref, rm: { resource: resourceFromAttributes({}), scopeMetrics: [{ scope: { name: 'refcheck' }, metrics }] } };
  }
}

function metricData(m: MetricSpec, points: { attributes: Attributes; p: Point }[]): MetricData {
  const descriptor = { name: m.name, description: '', unit: '1', valueType: ValueType.DOUBLE };
  const aggregationTemporality = m.delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE;
  const dp = <T>(attributes: Attributes, value: T) => ({ startTime: [0, 0] as [number, number], endTime: [0, 0] as [number, number], attributes, value });
  const scalars = points.map(({ attributes, p }) => dp(attributes, p.v));
  if (m.kind === 'gauge') return { descriptor, aggregationTemporality, dataPointType: DataPointType.GAUGE, dataPoints: scalars };
  if (m.kind !== 'histogram') return { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: m.kind === 'counter', dataPoints: scalars };
  const layoutOf = (p: Point): Layout => m.layouts.find((l) => l.bounds === p.bounds) as Layout;
  if (m.layouts[0].exp) {
    return { descriptor, aggregationTemporality, dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM, dataPoints: points.map(({ attributes, p }) => {
      const exp = layoutOf(p).exp as Exp;
      return dp(attributes, {
        count: p.v, sum: p.sum, max: p.max, scale: exp.scale, zeroCount: p.buckets[0],
        positive: { offset: exp.offset, bucketCounts: p.buckets.slice(2, exp.n + 2) }, negative: { offset: 0, bucketCounts: [] },
      });
    }) };
  }
  return { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: points.map(({ attributes, p }) => dp(attributes, {
    buckets: { boundaries: [...p.bounds], counts: [...p.buckets] }, count: p.v, sum: p.sum, max: p.max,
  })) };
}
