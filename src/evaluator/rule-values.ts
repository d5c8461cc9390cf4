import type { CompiledRule } from './rule-compiler';
import { RuleGroup, SeriesGrouping } from './series-grouping';
import type { SeriesColumns, SeriesRef } from './series-columns';
import type { MetricSeries, SeriesStore } from './series-store';
import { histogramWindowMax } from './histogram-window';
import { histogramQuantile, quantileOfValues } from './statistics';

/** What one rule computes at one evaluation. */
export interface RuleValues {
  /** The rule's metric (or, for a ratio, its denominator) has not been reported at all. */
  noData: boolean;
  /** Groups with a value (`group.value`, after `scale`); the array is reused by the next evaluation. */
  groups: readonly RuleGroup[];
}

const QUANTILES: Record<string, number> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * The factor that turns an increase over `spanMs` into a per-second rate. Multiplied, not divided,
 * because Prometheus' rate() multiplies by 1/range: 720 * (1/300) is 2.4000000000000004 while
 * 720 / 300 is 2.4, and a value right on a level must cross it on both sides or neither.
 */
function perSecond(spanMs: number): number {
  return 1 / (spanMs / 1000);
}

/**
 * Computes one rule's value per group-by label set, evaluation after evaluation. Each series costs
 * a few subtractions: windows keep reset-adjusted cumulative values, so an increase over a window
 * is last minus first; groups and their accumulators are reused.
 */
export class RuleValueComputer {
  private readonly numerator: SeriesGrouping;
  private readonly denominator: SeriesGrouping;
  private readonly out: RuleGroup[] = [];
  private readonly result: RuleValues = { noData: false, groups: this.out };
  private stamp = 0;
  private scratch = new Float64Array(0);

  constructor(private readonly cr: CompiledRule) {
    this.numerator = new SeriesGrouping(cr.matchers, cr.rule.groupBy);
    this.denominator = new SeriesGrouping(cr.denominatorMatchers, cr.rule.groupBy);
  }

  /**
   * `latest` is the time of the last ingest (a series not in it is gone, for last-value
   * statistics); `slackMs` widens the window so the sample right at its start is the baseline
   * despite timer jitter.
   */
  compute(store: SeriesStore, latest: number, slackMs: number): RuleValues {
    const { rule } = this.cr;
    const stamp = ++this.stamp;
    this.numerator.prune();
    this.denominator.prune();
    const from = latest - rule.window - slackMs;
    this.out.length = 0;
    const ms = store.metrics.get(rule.metric);
    if (rule.statistic === 'ratio') {
      const dm = store.metrics.get(rule.denominator ?? '');
      this.result.noData = !dm;
      if (!dm) return this.result;
      this.sumAmounts(dm, this.denominator, stamp, from, latest, this.out);
      const num: RuleGroup[] = [];
      if (ms) this.sumAmounts(ms, this.numerator, stamp, from, latest, num);
      let n = 0;
      for (const d of this.out) {
        if (!(d.total > 0)) continue; // x/0 is NaN in PromQL: no value, no alert
        const g = this.numerator.get(d.key);
        d.value = ((g?.touchedAt === stamp ? g.total : 0) / d.total) * rule.scale;
        this.out[n++] = d;
      }
      this.out.length = n;
      return this.result;
    }
    this.result.noData = !ms;
    if (!ms) return this.result;
    const touched = this.out;
    for (const cols of ms.columns.values()) {
      const seq0 = cols.seqFrom(from);
      for (const ref of cols.refs) {
        if (ref === undefined) continue;
        const g = this.numerator.groupOf(ref);
        if (g === undefined) continue;
        if (g.touchedAt !== stamp) {
          g.touch(stamp);
          touched.push(g);
        }
        if (ms.kind === 'histogram') this.addHistogram(g, cols, ref, seq0);
        else this.addScalar(g, cols, ref, seq0, latest);
      }
    }
    this.numerator.touchedLastPass = touched.length;
    let n = 0;
    for (const g of touched) {
      const v = this.finish(g, ms.kind === 'histogram');
      if (v === undefined || Number.isNaN(v)) continue;
      g.value = v * rule.scale;
      touched[n++] = g;
    }
    touched.length = n;
    return this.result;
  }

  /** Sum per group of the amounts a ratio uses: increase for counters, count increase for histograms, else last value. */
  private sumAmounts(ms: MetricSeries, grouping: SeriesGrouping, stamp: number, from: number, latest: number, out: RuleGroup[]): void {
    const increase = ms.kind === 'counter' || ms.kind === 'histogram';
    for (const cols of ms.columns.values()) {
      const seq0 = cols.seqFrom(from);
      for (const ref of cols.refs) {
        if (ref === undefined) continue;
        const g = grouping.groupOf(ref);
        if (g === undefined) continue;
        let a: number;
        if (increase) {
          const i0 = cols.firstPresent(ref, seq0);
          if (i0 >= ref.lastSeq) continue;
          a = cols.adjusted(ref, ref.lastSeq) - cols.adjusted(ref, i0);
        } else {
          if (ref.lastSeen !== latest) continue;
          a = cols.value(ref, ref.lastSeq);
        }
        if (g.touchedAt !== stamp) {
          g.touch(stamp);
          out.push(g);
        }
        g.total += a;
      }
    }
    grouping.touchedLastPass = out.length;
  }

  private addHistogram(g: RuleGroup, cols: SeriesColumns, ref: SeriesRef, seq0: number): void {
    const i0 = cols.firstPresent(ref, seq0);
    const end = ref.lastSeq;
    if (i0 >= end) return;
    const stat = this.cr.rule.statistic;
    const count = cols.adjusted(ref, end) - cols.adjusted(ref, i0);
    g.n++;
    g.hCount += count;
    g.hSum += cols.histSum(ref, end) - cols.histSum(ref, i0);
    if (stat === 'rate') {
      const spanMs = cols.time(end) - cols.time(i0);
      if (spanMs > 0) g.total += count * perSecond(spanMs);
    } else if (stat === 'max') {
      if (this.scratch.length !== cols.stride) this.scratch = new Float64Array(cols.stride);
      const max = histogramWindowMax(ref, i0, end, this.scratch);
      if (max !== undefined && max > g.max) g.max = max;
    } else if (QUANTILES[stat] !== undefined) {
      cols.addBucketDelta(ref, i0, end, g.bucketsFor(ref));
    }
  }

  private addScalar(g: RuleGroup, cols: SeriesColumns, ref: SeriesRef, seq0: number, latest: number): void {
    const stat = this.cr.rule.statistic;
    const end = ref.lastSeq;
    let v: number;
    if (stat === 'last') {
      if (ref.lastSeen !== latest) return;
      v = cols.value(ref, end);
    } else {
      const i0 = cols.firstPresent(ref, seq0);
      if (stat === 'rate' || stat === 'increase') {
        if (i0 >= end) return;
        v = cols.adjusted(ref, end) - cols.adjusted(ref, i0);
        if (stat === 'rate') {
          const spanMs = cols.time(end) - cols.time(i0);
          if (spanMs <= 0) return;
          v *= perSecond(spanMs);
        }
      } else {
        if (i0 > end) return;
        if (QUANTILES[stat] !== undefined) {
          for (let s = i0; s <= end; s++) if (cols.present(ref, s)) g.values.push(cols.value(ref, s));
          g.n++;
          return;
        }
        let n = 0;
        v = stat === 'avg' ? 0 : -Infinity;
        for (let s = i0; s <= end; s++) {
          if (!cols.present(ref, s)) continue;
          const x = cols.value(ref, s);
          if (stat === 'avg') v += x;
          else if (x > v) v = x;
          n++;
        }
        if (stat === 'avg') v /= n;
      }
    }
    g.n++;
    g.total += v;
    if (v > g.max) g.max = v;
  }

  private finish(g: RuleGroup, histogram: boolean): number | undefined {
    if (g.n === 0) return undefined;
    const stat = this.cr.rule.statistic;
    const q = QUANTILES[stat];
    if (histogram) {
      switch (stat) {
        case 'rate': return g.total;
        case 'increase': case 'last': return g.hCount;
        case 'avg': return g.hCount > 0 ? g.hSum / g.hCount : undefined;
        case 'max': return g.max === -Infinity ? undefined : g.max;
        default: {
          if (g.boundariesKey === undefined) return undefined;
          let best = histogramQuantile(q, g.boundaries, g.counts as Float64Array);
          for (const l of g.layouts?.values() ?? []) {
            const v = histogramQuantile(q, l.boundaries, l.counts);
            if (v !== undefined && (best === undefined || v > best)) best = v;
          }
          return best;
        }
      }
    }
    if (q !== undefined) return quantileOfValues(q, g.values);
    if (stat === 'avg') return g.total / g.n;
    if (stat === 'max') return g.max;
    return g.total;
  }
}
