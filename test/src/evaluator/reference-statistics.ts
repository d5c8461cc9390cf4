/**
 * A deliberately naive reference for rule-values.reference.test.ts, written from the definitions
 * in docs/rules.md ("Statistics") and docs/fleet.md (statistic-to-PromQL table), not from
 * src/evaluator: every value is recomputed from scratch from all the samples
 * reference-store.ts keeps. Nothing here is fast; all of it should be obviously right.
 *
 * Where the docs leave a choice open, the reference follows the implementation and says so:
 * the zero sample of a late counter/histogram series is a sample like any other (avg, max and
 * quantiles see it); quantiles of counters and gauges pool the group's samples (docs/fleet.md);
 * a histogram's `last` is the window's observation count (docs/fleet.md); a ratio needs a
 * denominator > 0 (docs/fleet.md's `DEN > 0`); a histogram max from a bucket bound is capped by
 * the cumulative max (docs/rules.md); a group whose series have several bucket layouts takes the
 * highest quantile among its layouts.
 */

import type { Labels, RefMetric, RefSeries, ReferenceStore, Sample } from './reference-store';

export type Stat = 'rate' | 'increase' | 'ratio' | 'avg' | 'p50' | 'p95' | 'p99' | 'max' | 'last';

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

/** An expected group value; `notes` name the interesting cases it involved (for coverage counts). */
export interface Expected {
  value: number;
  notes: string[];
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
function bucketQuantile(q: number, bounds: number[], counts: number[]): { value: number; bucket: number } | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = q * total;
  let below = 0;
  for (let i = 0; ; i++) {
    if (below + counts[i] >= rank) {
      if (i === bounds.length) return { value: bounds[bounds.length - 1], bucket: i };
      const lower = i === 0 ? Math.min(0, bounds[0]) : bounds[i - 1];
      return { value: lower + (bounds[i] - lower) * ((rank - below) / counts[i]), bucket: i };
    }
    below += counts[i];
  }
}

/** Upper bound of the highest non-empty bucket (+Inf: the highest finite bound), capped by `cap`. */
function bucketMax(bounds: number[], d: number[], cap: number | undefined): number | undefined {
  const top = d.reduce((hi, c, i) => (c > 0 ? i : hi), -1);
  if (top < 0) return undefined;
  if (top === bounds.length) return cap ?? bounds[bounds.length - 1];
  return cap === undefined ? bounds[top] : Math.min(bounds[top], cap);
}

/**
 * Largest observation of one reset-free stretch of a cumulative series (from sample a, undefined
 * after a reset, to b): exact when the cumulative max grew in it (always, after a reset: every
 * observation since is in the stretch), else the bucket bound capped by the cumulative max.
 */
function stretchMax(bounds: number[], d: number[], a: Sample | undefined, b: Sample): number | undefined {
  if (!d.some((c) => c > 0)) return undefined;
  if (b.max !== undefined && (a?.max === undefined || b.max > a.max)) return b.max;
  return bucketMax(bounds, d, b.max);
}

interface HistogramWindow { bounds: number[]; count: number; sum: number; buckets: number[]; spanMs: number; max?: number; notes: string[] }

const minus = (b: number[], a: number[] | undefined): number[] => b.map((c, i) => c - (a?.[i] ?? 0));

/** Bucket/count/sum deltas and the largest observation of one histogram series over its window samples. */
function histogramWindow(w: Sample[], bounds: number[], delta: boolean): HistogramWindow | undefined {
  if (w.length < 2) return undefined;
  const stretches: [Sample | undefined, Sample][] = [[w[0], w[0]]];
  for (let i = 1; i < w.length; i++) {
    if (w[i].v < w[i - 1].v) stretches.push([undefined, w[i]]); // reset: the new sample counts whole
    else stretches[stretches.length - 1][1] = w[i];
  }
  const out: HistogramWindow = { bounds, count: 0, sum: 0, buckets: w[0].buckets.map(() => 0), spanMs: w[w.length - 1].t - w[0].t, notes: [] };
  const maxes: (number | undefined)[] = [];
  for (const [a, b] of stretches) {
    const d = minus(b.buckets, a?.buckets);
    d.forEach((c, i) => (out.buckets[i] += c));
    out.count += b.v - (a?.v ?? 0);
    out.sum += b.sum - (a?.sum ?? 0);
    maxes.push(stretchMax(bounds, d, a, b));
  }
  if (delta) {
    // Each point's max is its interval's; the window's first sample is the baseline.
    maxes.length = 0;
    for (let i = 1; i < w.length; i++) {
      const d = minus(w[i].buckets, w[i - 1].buckets);
      maxes.push(w[i].max !== undefined && d.some((c) => c > 0) ? w[i].max : bucketMax(bounds, d, undefined));
    }
  }
  const defined = maxes.filter((m): m is number => m !== undefined);
  if (defined.length > 0) out.max = Math.max(...defined);
  if (stretches.length > 1 && out.max !== maxes[maxes.length - 1]) out.notes.push('histogram max before a reset');
  if (delta && out.max !== undefined && out.max !== w[w.length - 1].max) out.notes.push('delta histogram max not from the last point');
  if (w.every((x) => x.max === undefined) && out.max !== undefined) out.notes.push('histogram max without max');
  return out;
}

/** Key of a series' group: its group-by label values (a missing label is "", as in PromQL). */
export function groupKey(labels: Labels, groupBy: string[]): string {
  return groupBy.map((k) => labels[k] ?? '').join('\u0000');
}

function window(s: RefSeries, from: number): Sample[] {
  return s.samples.filter((x) => x.t >= from);
}

/** Per-series amount of a ratio side: increase (counters), observations (histograms), last value (others). */
function ratioAmount(m: RefMetric, s: RefSeries, from: number, latest: number): number | undefined {
  if (m.kind === 'counter') return increase(window(s, from));
  if (m.kind === 'histogram') return histogramWindow(window(s, from), s.bounds, m.delta)?.count;
  return s.lastSeen === latest ? s.samples[s.samples.length - 1].v : undefined;
}

/** Notes of the series whose samples a value used. */
function seriesNotes(ss: RefSeries[], from: number): string[] {
  return [...new Set(ss.filter((s) => s.note !== undefined && s.samples.some((x) => x.t >= from)).map((s) => s.note as string))];
}

function sumBy(store: ReferenceStore, metric: string, filter: (l: Labels) => boolean, groupBy: string[], from: number): Map<string, { sum: number; ss: RefSeries[] }> {
  const out = new Map<string, { sum: number; ss: RefSeries[] }>();
  const m = store.metrics.get(metric);
  for (const s of m?.series.values() ?? []) {
    const a = filter(s.labels) ? ratioAmount(m as RefMetric, s, from, store.latest) : undefined;
    if (a === undefined) continue;
    const g = out.get(groupKey(s.labels, groupBy)) ?? { sum: 0, ss: [] };
    out.set(groupKey(s.labels, groupBy), g);
    g.sum += a;
    g.ss.push(s);
  }
  return out;
}

function sumOf(xs: (number | undefined)[]): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined);
  return d.length === 0 ? undefined : d.reduce((a, b) => a + b, 0);
}

/** A counter's, up-down sum's or gauge's statistic over the series of one group. */
function scalarStat(stat: Stat, ss: RefSeries[], from: number, latest: number): number | undefined {
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
function histogramStat(stat: Stat, m: RefMetric, ss: RefSeries[], from: number): Expected | undefined {
  const ds = ss.map((s) => histogramWindow(window(s, from), s.bounds, m.delta)).filter((d): d is HistogramWindow => d !== undefined);
  if (ds.length === 0) return undefined;
  const count = ds.reduce((a, d) => a + d.count, 0);
  switch (stat) {
    case 'rate': return { value: ds.reduce((a, d) => a + d.count / (d.spanMs / 1000), 0), notes: [] };
    case 'increase': case 'last': return { value: count, notes: [] }; // last: the window's observations (docs/fleet.md)
    case 'avg': return count > 0 ? { value: ds.reduce((a, d) => a + d.sum, 0) / count, notes: [] } : undefined;
    case 'max': {
      const withMax = ds.filter((d) => d.max !== undefined);
      if (withMax.length === 0) return undefined;
      const value = Math.max(...withMax.map((d) => d.max as number));
      return { value, notes: [...new Set(withMax.filter((d) => d.max === value).flatMap((d) => d.notes))] };
    }
    default: {
      // Bucket deltas merged per layout; the group's value is the highest of its layouts' quantiles.
      const layouts = new Map<string, { bounds: number[]; counts: number[] }>();
      for (const d of ds) {
        const l = layouts.get(d.bounds.join()) ?? { bounds: d.bounds, counts: d.buckets.map(() => 0) };
        layouts.set(d.bounds.join(), l);
        d.buckets.forEach((c, i) => (l.counts[i] += c));
      }
      const notes: string[] = [];
      const vs: number[] = [];
      for (const l of layouts.values()) {
        const v = bucketQuantile(Q[stat], l.bounds, l.counts);
        if (v === undefined) continue;
        vs.push(v.value);
        // Exponential layouts (bounds [0, base^offset, ...]): the first positive bucket starts at base^offset.
        if (l.bounds[0] === 0 && v.bucket === 2) notes.push('quantile in the first positive exponential bucket');
      }
      if (vs.length === 0) return undefined;
      if (vs.length > 1) notes.push('several layouts in a group');
      return { value: Math.max(...vs), notes };
    }
  }
}

/** What the rule should yield per group at the latest collection, for the window starting at `from`. */
export function expectedValues(store: ReferenceStore, r: RefRule, from: number): Map<string, Expected> {
  const out = new Map<string, Expected>();
  if (r.statistic === 'ratio') {
    const den = sumBy(store, r.denominator as string, r.denominatorFilter ?? (() => true), r.groupBy, from);
    const num = sumBy(store, r.metric, r.filter, r.groupBy, from);
    for (const [k, d] of den) {
      const n = num.get(k);
      if (d.sum > 0) out.set(k, { value: ((n?.sum ?? 0) / d.sum) * r.scale, notes: seriesNotes([...d.ss, ...(n?.ss ?? [])], from) });
    }
    return out;
  }
  const m = store.metrics.get(r.metric);
  const groups = new Map<string, RefSeries[]>();
  for (const s of m?.series.values() ?? []) {
    if (!r.filter(s.labels)) continue;
    const k = groupKey(s.labels, r.groupBy);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, ss] of groups) {
    const e = m?.kind === 'histogram' ? histogramStat(r.statistic, m, ss, from) : scalarStat(r.statistic, ss, from, store.latest);
    const v = typeof e === 'number' ? { value: e, notes: [] } : e;
    if (v !== undefined) out.set(k, { value: v.value * r.scale, notes: [...v.notes, ...seriesNotes(ss, from)] });
  }
  return out;
}
