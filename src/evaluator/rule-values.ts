import { matchesAll, type CompiledRule, type Matcher } from './rule-compiler';
import type { Labels, MetricSeries, SeriesStore, SeriesWindow } from './series-window';
import { labelsKey } from './series-window';
import {
  avgOver, counterDelta, firstIndexFrom, histogramMax, histogramQuantile, increaseOver, maxOver, quantileOfValues, rateOf,
} from './statistics';

/** A rule's value for one label set. */
export interface GroupValue {
  labels: Labels;
  value: number;
}

/** What one rule computes at one evaluation. */
export interface RuleValues {
  /** The rule's metric (or, for a ratio, its denominator) has not been reported at all. */
  noData: boolean;
  groups: Map<string, GroupValue>;
}

const QUANTILES: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/** Bucket, count, sum and max deltas of one histogram series over a window. */
interface HistogramDelta {
  counts: number[];
  count: number;
  sum: number;
  spanMs: number;
  max: number | undefined;
}

/** Delta of a histogram series from its first sample in the window to its last; resets handled. */
export function histogramDelta(w: SeriesWindow, from: number): HistogramDelta | undefined {
  const i0 = firstIndexFrom(w.t, from);
  const end = w.t.length - 1;
  if (end - i0 < 1) return undefined;
  let reset = false;
  for (let i = i0 + 1; i <= end; i++) if (w.v[i] < w.v[i - 1]) { reset = true; break; }
  const stride = w.stride;
  const f = w.flat;
  const counts: number[] = new Array<number>(stride).fill(0);
  let count: number;
  let sum: number;
  if (!reset) {
    // Common case: one subtraction of the window's first sample from its last.
    const first = i0 * stride;
    const last = end * stride;
    for (let b = 0; b < stride; b++) counts[b] = f[last + b] - f[first + b];
    count = w.v[end] - w.v[i0];
    sum = w.sum[end] - w.sum[i0];
  } else {
    count = 0;
    sum = 0;
    for (let i = i0 + 1; i <= end; i++) {
      const isReset = w.v[i] < w.v[i - 1];
      const cur = i * stride;
      const prev = cur - stride;
      for (let b = 0; b < stride; b++) counts[b] += isReset ? f[cur + b] : f[cur + b] - f[prev + b];
      count += counterDelta(w.v[i - 1], w.v[i]);
      sum += isReset ? w.sum[i] : w.sum[i] - w.sum[i - 1];
    }
  }
  const maxEnd = w.max[end];
  const maxStart = w.max[i0];
  const maxGrew = !reset && maxEnd !== undefined && (maxStart === undefined || maxEnd > maxStart);
  const max = count > 0 ? histogramMax(w.boundaries, counts, maxEnd, maxGrew || reset) : undefined;
  return { counts, count, sum, spanMs: w.t[end] - w.t[i0], max };
}

/** The amount a ratio uses: increase for counters, count increase for histograms, last value otherwise. */
function ratioAmount(ms: MetricSeries, w: SeriesWindow, from: number, latest: number): number | undefined {
  if (ms.kind === 'counter') return increaseOver(w.t, w.v, from)?.increase;
  if (ms.kind === 'histogram') return histogramDelta(w, from)?.count;
  return w.lastSeen === latest ? w.v[w.v.length - 1] : undefined;
}

function groupOf(labels: Labels, groupBy: readonly string[]): Labels {
  const g: Labels = {};
  for (const k of groupBy) g[k] = labels[k] ?? '';
  return g;
}

/** Filter result and group of a series for one rule side, computed once per series (labels are fixed). */
function classify(w: SeriesWindow, token: object, matchers: readonly Matcher[], groupBy: readonly string[]): { match: boolean; key: string; group: Labels } {
  let c = w.ruleCache.get(token);
  if (c === undefined) {
    const match = matchesAll(matchers, w.labels);
    const group = match ? groupOf(w.labels, groupBy) : {};
    c = { match, key: match ? labelsKey(group) : '', group };
    w.ruleCache.set(token, c);
  }
  return c;
}

function sumBy(ms: MetricSeries, token: object, matchers: readonly Matcher[], groupBy: readonly string[], from: number, latest: number): Map<string, GroupValue> {
  const out = new Map<string, GroupValue>();
  for (const w of ms.series.values()) {
    const c = classify(w, token, matchers, groupBy);
    if (!c.match) continue;
    const a = ratioAmount(ms, w, from, latest);
    if (a === undefined) continue;
    const cur = out.get(c.key);
    if (cur) cur.value += a;
    else out.set(c.key, { labels: c.group, value: a });
  }
  return out;
}

interface Acc {
  labels: Labels;
  total: number;
  n: number;
  values: number[];
  max: number;
  hist?: Map<string, { boundaries: readonly number[]; counts: number[] }>;
  hCount: number;
  hSum: number;
}

function accumulate(acc: Acc, ms: MetricSeries, w: SeriesWindow, stat: string, from: number, latest: number): void {
  if (ms.kind === 'histogram') {
    const d = histogramDelta(w, from);
    if (!d) return;
    acc.n++;
    acc.hCount += d.count;
    acc.hSum += d.sum;
    if (stat === 'rate' && d.spanMs > 0) acc.total += d.count / (d.spanMs / 1000);
    if (d.max !== undefined && d.max > acc.max) acc.max = d.max;
    if (QUANTILES[stat] !== undefined) {
      acc.hist ??= new Map();
      const bkey = w.boundariesKey;
      const h = acc.hist.get(bkey);
      if (!h) acc.hist.set(bkey, { boundaries: w.boundaries, counts: d.counts });
      else for (let b = 0; b < d.counts.length; b++) h.counts[b] += d.counts[b];
    }
    return;
  }
  let v: number | undefined;
  switch (stat) {
    case 'rate': v = rateOf(increaseOver(w.t, w.v, from)); break;
    case 'increase': v = increaseOver(w.t, w.v, from)?.increase; break;
    case 'last': v = w.lastSeen === latest ? w.v[w.v.length - 1] : undefined; break;
    case 'avg': v = avgOver(w.t, w.v, from); break;
    case 'max': v = maxOver(w.t, w.v, from); break;
    default: {
      const i0 = firstIndexFrom(w.t, from);
      for (let i = i0; i < w.t.length; i++) acc.values.push(w.v[i]);
      if (i0 < w.t.length) acc.n++;
      return;
    }
  }
  if (v === undefined) return;
  acc.n++;
  acc.total += v;
  if (v > acc.max) acc.max = v;
}

function finish(acc: Acc, kind: MetricSeries['kind'], stat: string): number | undefined {
  if (acc.n === 0) return undefined;
  const q = QUANTILES[stat];
  if (kind === 'histogram') {
    switch (stat) {
      case 'rate': return acc.total;
      case 'increase': case 'last': return acc.hCount;
      case 'avg': return acc.hCount > 0 ? acc.hSum / acc.hCount : undefined;
      case 'max': return acc.max === -Infinity ? undefined : acc.max;
      default: {
        let best: number | undefined;
        for (const h of acc.hist?.values() ?? []) {
          const v = histogramQuantile(q, h.boundaries, h.counts);
          if (v !== undefined && (best === undefined || v > best)) best = v;
        }
        return best;
      }
    }
  }
  if (q !== undefined) return quantileOfValues(q, acc.values);
  if (stat === 'avg') return acc.total / acc.n;
  if (stat === 'max') return acc.max;
  return acc.total;
}

/**
 * Computes a rule's value per group-by label set from the store. `latest` is the time of the
 * last ingest (a series not in it is gone, for last-value statistics); `slackMs` widens the
 * window so the sample right at its start is the baseline despite timer jitter.
 */
export function computeRuleValues(cr: CompiledRule, store: SeriesStore, latest: number, slackMs: number): RuleValues {
  const { rule } = cr;
  const from = latest - rule.window - slackMs;
  const groups = new Map<string, GroupValue>();
  const ms = store.metrics.get(rule.metric);
  if (rule.statistic === 'ratio') {
    const dm = store.metrics.get(rule.denominator ?? '');
    if (!dm) return { noData: true, groups };
    const den = sumBy(dm, cr.denominatorMatchers, cr.denominatorMatchers, rule.groupBy, from, latest);
    const num = ms ? sumBy(ms, cr.matchers, cr.matchers, rule.groupBy, from, latest) : new Map<string, GroupValue>();
    for (const [key, d] of den) {
      if (!(d.value > 0)) continue; // x/0 is NaN in PromQL: no value, no alert
      groups.set(key, { labels: d.labels, value: ((num.get(key)?.value ?? 0) / d.value) * rule.scale });
    }
    return { noData: false, groups };
  }
  if (!ms) return { noData: true, groups };
  const accs = new Map<string, Acc>();
  for (const w of ms.series.values()) {
    const c = classify(w, cr.matchers, cr.matchers, rule.groupBy);
    if (!c.match) continue;
    let acc = accs.get(c.key);
    if (!acc) {
      acc = { labels: c.group, total: 0, n: 0, values: [], max: -Infinity, hCount: 0, hSum: 0 };
      accs.set(c.key, acc);
    }
    accumulate(acc, ms, w, rule.statistic, from, latest);
  }
  for (const [key, acc] of accs) {
    const v = finish(acc, ms.kind, rule.statistic);
    if (v !== undefined && !Number.isNaN(v)) groups.set(key, { labels: acc.labels, value: v * rule.scale });
  }
  return { noData: false, groups };
}
