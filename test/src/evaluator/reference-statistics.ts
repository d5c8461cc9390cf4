/**
 * A deliberately naive reference for rule-values.reference.test.ts, written from the definitions
 * in docs/rules.md ("Statistics") and docs/fleet.md (statistic-to-PromQL table), not from
 * src/evaluator: every sample the evaluator was handed is kept in a plain array and every value is
 * recomputed from scratch. Nothing here is fast; all of it should be obviously right.
 *
 * Where the docs leave a choice open, the reference follows the implementation and says so:
 * the zero sample of a late counter/histogram series is a sample like any other (avg, max and
 * quantiles see it); quantiles of counters and gauges pool the group's samples (docs/fleet.md);
 * a histogram's `last` is the window's observation count (docs/fleet.md); a ratio needs a
 * denominator > 0 (docs/fleet.md's `DEN > 0`; rules.md only says "0"); a histogram max from a
 * bucket bound is capped by the cumulative max (rules.md says "the upper bound of the highest
 * non-empty bucket"; the cap is a tighter bound, unit tested in statistics.test.ts).
 *
 * Known disagreements with "largest observation in the window", marked `disputed` (not compared):
 * the evaluator's histogram max ignores observations made before a reset inside the window, and
 * with delta temporality it compares the per-interval maxima of the first and last points instead
 * of a running maximum, so it can report a max below an observation made inside the window.
 */

export type Kind = 'counter' | 'updown' | 'gauge' | 'histogram';
export type Stat = 'rate' | 'increase' | 'ratio' | 'avg' | 'p50' | 'p95' | 'p99' | 'max' | 'last';
export type Labels = Record<string, string>;

/** One sample of a series as the evaluator holds it (delta points already added up). */
export interface Sample {
  t: number;
  /** Counter/gauge value, or histogram observation count. */
  v: number;
  /** Histogram only: sum of observations, count per bucket (last one +Inf), maximum observation. */
  sum: number;
  buckets: number[];
  max: number | undefined;
}

/** A point of one collection: a value (cumulative) or an increment (delta temporality). */
export type Point = Omit<Sample, 't'> & { labels: Labels };

export interface RefMetric {
  kind: Kind;
  delta: boolean;
  /** Histogram bucket upper bounds (finite ones). */
  bounds: number[];
  series: Map<string, { labels: Labels; samples: Sample[]; lastSeen: number }>;
}

/** Every sample ever collected, per metric and series; never trimmed. */
export class ReferenceStore {
  readonly metrics = new Map<string, RefMetric>();
  latest = 0;
  private previous: number | undefined;

  ingest(now: number, collection: { name: string; kind: Kind; delta: boolean; bounds: number[]; points: Point[] }[]): void {
    for (const c of collection) {
      let m = this.metrics.get(c.name);
      if (!m) this.metrics.set(c.name, (m = { kind: c.kind, delta: c.delta, bounds: c.bounds, series: new Map() }));
      for (const p of c.points) {
        const key = JSON.stringify(Object.entries(p.labels).sort());
        let s = m.series.get(key);
        if (!s) {
          m.series.set(key, (s = { labels: p.labels, samples: [], lastSeen: now }));
          // "A counter or histogram series that appears after the evaluator started counts from zero."
          if (this.previous !== undefined && (c.kind === 'counter' || c.kind === 'histogram')) {
            s.samples.push({ t: this.previous, v: 0, sum: 0, buckets: p.buckets.map(() => 0), max: undefined });
          }
        }
        const prev = s.samples[s.samples.length - 1];
        if (c.delta && prev) {
          // Delta temporality: the evaluator sees the running total (the max as a running max).
          const max = prev.max === undefined ? p.max : p.max === undefined ? prev.max : Math.max(prev.max, p.max);
          s.samples.push({ t: now, v: prev.v + p.v, sum: prev.sum + p.sum, buckets: p.buckets.map((b, i) => b + prev.buckets[i]), max });
        } else {
          s.samples.push({ t: now, v: p.v, sum: p.sum, buckets: [...p.buckets], max: p.max });
        }
        s.lastSeen = now;
      }
    }
    this.previous = now;
    this.latest = now;
  }
}

export interface RefRule {
  name: string;
  metric: string;
  statistic: Stat;
  groupBy: string[];
  filter: (labels: Labels) => boolean;
  scale: number;
  denominator?: string;
  denominatorFilter?: (labels: Labels) => boolean;
}

/** An expected group value; `disputed` names a known disagreement with the docs (value not compared). */
export interface Expected {
  value: number;
  disputed?: string;
}

const Q: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Increase over the window: sum of steps, a drop being a reset where the new value counts whole. */
function increase(w: Sample[]): number | undefined {
  if (w.length < 2) return undefined;
  let inc = 0;
  for (let i = 1; i < w.length; i++) inc += w[i].v >= w[i - 1].v ? w[i].v - w[i - 1].v : w[i].v;
  return inc;
}

/** quantile_over_time: linear interpolation between closest ranks. */
function quantile(q: number, values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = q * (s.length - 1);
  const lo = Math.floor(rank);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (rank - lo) : s[lo];
}

/** histogram_quantile over per-bucket counts (Prometheus: linear inside the bucket, first starts at 0, +Inf gives the top bound). */
function bucketQuantile(q: number, bounds: number[], counts: number[]): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; ; i++) {
    if (below + counts[i] >= rank) {
      if (i === bounds.length) return bounds[bounds.length - 1];
      const lower = i === 0 ? Math.min(0, bounds[0]) : bounds[i - 1];
      return lower + (bounds[i] - lower) * ((rank - below) / counts[i]);
    }
    below += counts[i];
  }
}

/**
 * Largest observation of one reset-free stretch (from sample a to b): exact when the cumulative max
 * grew in it, else the upper bound of the highest non-empty bucket (no observation is above the
 * cumulative max either, so that bound is capped by it); the +Inf bucket gives the cumulative max.
 */
function stretchMax(bounds: number[], d: number[], a: Sample | undefined, b: Sample): number | undefined {
  const top = d.reduce((hi, c, i) => (c > 0 ? i : hi), -1);
  if (top < 0) return undefined;
  if (b.max !== undefined && (a?.max === undefined || b.max > a.max)) return b.max;
  if (top === bounds.length) return b.max ?? bounds[bounds.length - 1];
  return b.max === undefined ? bounds[top] : Math.min(bounds[top], b.max);
}

interface HistogramWindow { count: number; sum: number; buckets: number[]; spanMs: number; max?: number; disputed?: string }

/** Bucket/count/sum deltas of one histogram series over its window samples, split at resets (count drops). */
function histogramWindow(w: Sample[], bounds: number[], delta: boolean): HistogramWindow | undefined {
  if (w.length < 2) return undefined;
  const stretches: [Sample | undefined, Sample][] = [[w[0], w[0]]];
  for (let i = 1; i < w.length; i++) {
    if (w[i].v < w[i - 1].v) stretches.push([undefined, w[i]]); // reset: the new sample counts whole
    else stretches[stretches.length - 1][1] = w[i];
  }
  const out: HistogramWindow = { count: 0, sum: 0, buckets: w[0].buckets.map(() => 0), spanMs: w[w.length - 1].t - w[0].t };
  const maxes: (number | undefined)[] = [];
  for (const [a, b] of stretches) {
    const d = b.buckets.map((c, i) => c - (a?.buckets[i] ?? 0));
    d.forEach((c, i) => (out.buckets[i] += c));
    out.count += b.v - (a?.v ?? 0);
    out.sum += b.sum - (a?.sum ?? 0);
    maxes.push(stretchMax(bounds, d, a, b));
  }
  const defined = maxes.filter((m): m is number => m !== undefined);
  if (defined.length > 0) out.max = Math.max(...defined);
  if (delta) out.disputed = 'histogram max, delta temporality';
  else if (stretches.length > 1 && out.max !== maxes[maxes.length - 1]) out.disputed = 'histogram max, observations before a reset';
  return out;
}

type Series = RefMetric['series'] extends Map<string, infer S> ? S : never;

/** Key of a series' group: its group-by label values (a missing label is "", as in PromQL). */
export function groupKey(labels: Labels, groupBy: string[]): string {
  return groupBy.map((k) => labels[k] ?? '').join('\u0000');
}

function window(s: Series, from: number): Sample[] {
  return s.samples.filter((x) => x.t >= from);
}

/** Per-series amount of a ratio side: increase (counters), observations (histograms), last value (others). */
function ratioAmount(m: RefMetric, s: Series, from: number, latest: number): number | undefined {
  if (m.kind === 'counter') return increase(window(s, from));
  if (m.kind === 'histogram') return histogramWindow(window(s, from), m.bounds, m.delta)?.count;
  return s.lastSeen === latest ? s.samples[s.samples.length - 1].v : undefined;
}

function sumBy(store: ReferenceStore, metric: string, filter: (l: Labels) => boolean, groupBy: string[], from: number): Map<string, number> {
  const out = new Map<string, number>();
  const m = store.metrics.get(metric);
  for (const s of m?.series.values() ?? []) {
    const a = filter(s.labels) ? ratioAmount(m as RefMetric, s, from, store.latest) : undefined;
    if (a !== undefined) out.set(groupKey(s.labels, groupBy), (out.get(groupKey(s.labels, groupBy)) ?? 0) + a);
  }
  return out;
}

function sumOf(xs: (number | undefined)[]): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined);
  return d.length === 0 ? undefined : d.reduce((a, b) => a + b, 0);
}

/** A counter's, up-down sum's or gauge's statistic over the series of one group. */
function scalarStat(stat: Stat, ss: Series[], from: number, latest: number): number | undefined {
  const wins = ss.map((s) => window(s, from)).filter((w) => w.length > 0);
  switch (stat) {
    case 'rate': return sumOf(wins.map((w) => { const inc = increase(w); return inc === undefined ? undefined : inc / ((w[w.length - 1].t - w[0].t) / 1000); }));
    case 'increase': return sumOf(wins.map(increase));
    case 'last': return sumOf(ss.filter((s) => s.lastSeen === latest).map((s) => s.samples[s.samples.length - 1].v));
    case 'avg': return wins.length === 0 ? undefined : wins.map((w) => w.reduce((a, x) => a + x.v, 0) / w.length).reduce((a, b) => a + b, 0) / wins.length;
    case 'max': return wins.length === 0 ? undefined : Math.max(...wins.flat().map((x) => x.v));
    default: return wins.length === 0 ? undefined : quantile(Q[stat], wins.flat().map((x) => x.v)); // pooled (docs/fleet.md)
  }
}

/** A histogram's statistic over the series of one group. */
function histogramStat(stat: Stat, m: RefMetric, ss: Series[], from: number): Expected | undefined {
  const ds = ss.map((s) => histogramWindow(window(s, from), m.bounds, m.delta)).filter((d): d is HistogramWindow => d !== undefined);
  if (ds.length === 0) return undefined;
  const count = ds.reduce((a, d) => a + d.count, 0);
  switch (stat) {
    case 'rate': return { value: ds.reduce((a, d) => a + d.count / (d.spanMs / 1000), 0) };
    case 'increase': case 'last': return { value: count }; // last: the window's observations (docs/fleet.md)
    case 'avg': return count > 0 ? { value: ds.reduce((a, d) => a + d.sum, 0) / count } : undefined;
    case 'max': {
      const withMax = ds.filter((d) => d.max !== undefined);
      if (withMax.length === 0) return undefined;
      return { value: Math.max(...withMax.map((d) => d.max as number)), disputed: withMax.find((d) => d.disputed)?.disputed };
    }
    default: {
      const merged = m.bounds.map(() => 0).concat(0);
      for (const d of ds) d.buckets.forEach((c, i) => (merged[i] += c));
      const v = bucketQuantile(Q[stat], m.bounds, merged);
      return v === undefined ? undefined : { value: v };
    }
  }
}

/** What the rule should yield per group at the latest collection, for the window starting at `from`. */
export function expectedValues(store: ReferenceStore, r: RefRule, from: number): Map<string, Expected> {
  const out = new Map<string, Expected>();
  if (r.statistic === 'ratio') {
    const den = sumBy(store, r.denominator as string, r.denominatorFilter ?? (() => true), r.groupBy, from);
    const num = sumBy(store, r.metric, r.filter, r.groupBy, from);
    for (const [k, d] of den) if (d > 0) out.set(k, { value: ((num.get(k) ?? 0) / d) * r.scale });
    return out;
  }
  const m = store.metrics.get(r.metric);
  const groups = new Map<string, Series[]>();
  for (const s of m?.series.values() ?? []) {
    if (!r.filter(s.labels)) continue;
    const k = groupKey(s.labels, r.groupBy);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, ss] of groups) {
    const e = m?.kind === 'histogram' ? histogramStat(r.statistic, m, ss, from) : scalarStat(r.statistic, ss, from, store.latest);
    const v = typeof e === 'number' ? { value: e } : e;
    if (v !== undefined) out.set(k, { value: v.value * r.scale, disputed: v.disputed });
  }
  return out;
}
