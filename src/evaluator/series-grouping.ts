import { matchesAll, type Matcher } from './rule-compiler';
import type { SeriesRef } from './series-columns';
import { labelsKey, type Labels } from './series-ref';

/**
 * One group-by label set of a rule, reused from one evaluation to the next: the accumulators are
 * reset the first time an evaluation touches the group, so an evaluation allocates nothing for
 * groups that already exist.
 */
export class RuleGroup {
  /** Evaluation that last touched the accumulators. */
  touchedAt = -1;
  /** The rule's value for the group (after `scale`) when the computation returns the group. */
  value = 0;
  n = 0;
  total = 0;
  max = -Infinity;
  hCount = 0;
  hSum = 0;
  /** Gauge/counter samples for quantile_over_time. */
  readonly values: number[] = [];
  /** Histogram bucket increases of the group's first layout; other layouts (rare) in `layouts`. */
  boundaries: readonly number[] = [];
  boundariesKey: string | undefined;
  counts: Float64Array | undefined;
  layouts: Map<string, { boundaries: readonly number[]; counts: Float64Array }> | undefined;

  constructor(readonly key: string, readonly labels: Labels) {}

  /** Resets the accumulators at the first touch of evaluation `stamp`. */
  touch(stamp: number): void {
    if (this.touchedAt === stamp) return;
    this.touchedAt = stamp;
    this.n = 0;
    this.total = 0;
    this.max = -Infinity;
    this.hCount = 0;
    this.hSum = 0;
    this.values.length = 0;
    this.boundariesKey = undefined;
    this.layouts = undefined;
  }

  /** The bucket array to add a series' increases into, by layout. */
  bucketsFor(ref: SeriesRef): Float64Array {
    const cols = ref.columns;
    if (this.boundariesKey === undefined) {
      this.boundariesKey = cols.boundariesKey;
      this.boundaries = cols.boundaries;
      if (this.counts?.length === cols.stride) this.counts.fill(0);
      else this.counts = new Float64Array(cols.stride);
    }
    if (this.boundariesKey === cols.boundariesKey) return this.counts as Float64Array;
    this.layouts ??= new Map();
    let l = this.layouts.get(cols.boundariesKey);
    if (!l) this.layouts.set(cols.boundariesKey, (l = { boundaries: cols.boundaries, counts: new Float64Array(cols.stride) }));
    return l.counts;
  }
}

/**
 * Which group each series of one metric falls in for one side of a rule (its filters and
 * group-by). Labels of a series never change, so each series is matched and grouped once; the
 * cache is indexed by the series' small id, and the owner check notices an id reused by a new
 * series.
 */
export class SeriesGrouping {
  private owner: (SeriesRef | undefined)[] = [];
  private slot: (RuleGroup | null)[] = [];
  private byKey = new Map<string, RuleGroup>();

  constructor(private readonly matchers: readonly Matcher[], private readonly groupBy: readonly string[]) {}

  /** The series' group, or undefined when the filters reject it. */
  groupOf(w: SeriesRef): RuleGroup | undefined {
    if (this.owner[w.id] !== w) this.classify(w);
    return this.slot[w.id] ?? undefined;
  }

  get(key: string): RuleGroup | undefined {
    return this.byKey.get(key);
  }

  /** Groups the last computation touched (set by the caller at its end). */
  touchedLastPass = 0;

  /**
   * Forgets every group when most of them no longer receive series (label values that churn,
   * such as routes that come and go), so the cache stays proportional to the live series.
   * Called before a computation, not after: groups read later in it (a ratio's numerator) stay.
   */
  prune(): void {
    if (this.byKey.size <= 64 || this.byKey.size <= 2 * this.touchedLastPass) return;
    this.owner = [];
    this.slot = [];
    this.byKey = new Map();
  }

  private classify(w: SeriesRef): void {
    this.owner[w.id] = w;
    if (!matchesAll(this.matchers, w.labels)) {
      this.slot[w.id] = null;
      return;
    }
    const labels: Labels = {};
    for (const k of this.groupBy) labels[k] = w.labels[k] ?? '';
    const key = labelsKey(labels);
    let g = this.byKey.get(key);
    if (!g) {
      g = new RuleGroup(key, labels);
      this.byKey.set(key, g);
    }
    this.slot[w.id] = g;
  }
}
