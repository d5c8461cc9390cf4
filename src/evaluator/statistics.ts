/**
 * Pure statistics over sample arrays, with Prometheus' semantics where one exists
 * (https://prometheus.io/docs/prometheus/latest/querying/functions/). Times are epoch ms.
 */

/** Index of the first sample at or after `from` (samples are sorted by time). */
export function firstIndexFrom(t: ArrayLike<number>, from: number, start = 0): number {
  let lo = start;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Increase of a counter between two raw values, treating a drop as a reset (as Prometheus does). */
export function counterDelta(prev: number, next: number): number {
  return next >= prev ? next - prev : next;
}

/** Result of a range statistic over a counter: total increase and the time the samples span. */
export interface Increase {
  increase: number;
  spanMs: number;
}

/**
 * Increase of a cumulative counter over the samples in [from, ∞) starting at index `start`.
 * Needs two samples; a drop between samples is a counter reset (the new value counts whole).
 */
export function increaseOver(t: ArrayLike<number>, v: ArrayLike<number>, from: number, start = 0): Increase | undefined {
  const i0 = firstIndexFrom(t, from, start);
  if (t.length - i0 < 2) return undefined;
  let inc = 0;
  for (let i = i0 + 1; i < t.length; i++) inc += counterDelta(v[i - 1], v[i]);
  return { increase: inc, spanMs: t[t.length - 1] - t[i0] };
}

/** Per-second rate from an {@link Increase}; undefined when the samples span no time. */
export function rateOf(inc: Increase | undefined): number | undefined {
  if (!inc || inc.spanMs <= 0) return undefined;
  return inc.increase / (inc.spanMs / 1000);
}

/** avg_over_time of the samples from `from`. */
export function avgOver(t: ArrayLike<number>, v: ArrayLike<number>, from: number, start = 0): number | undefined {
  const i0 = firstIndexFrom(t, from, start);
  if (i0 >= t.length) return undefined;
  let s = 0;
  for (let i = i0; i < t.length; i++) s += v[i];
  return s / (t.length - i0);
}

/** max_over_time of the samples from `from`. */
export function maxOver(t: ArrayLike<number>, v: ArrayLike<number>, from: number, start = 0): number | undefined {
  const i0 = firstIndexFrom(t, from, start);
  if (i0 >= t.length) return undefined;
  let m = -Infinity;
  for (let i = i0; i < t.length; i++) if (v[i] > m) m = v[i];
  return m;
}

/** quantile_over_time (linear interpolation between closest ranks, like Prometheus). */
export function quantileOfValues(q: number, values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * histogram_quantile over non-cumulative bucket counts (`counts[i]` is the count in
 * (boundaries[i-1], boundaries[i]], the last one is +Inf). Linear interpolation inside the bucket,
 * the first bucket starting at 0 when its upper bound is positive; a rank in the +Inf bucket
 * returns the highest finite boundary, as Prometheus does.
 */
export function histogramQuantile(q: number, boundaries: readonly number[], counts: ArrayLike<number>): number | undefined {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  if (total <= 0) return undefined;
  if (q <= 0) return boundaries.length > 0 ? Math.min(0, boundaries[0]) : undefined;
  const rank = q * total;
  let cum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (cum + c >= rank && c > 0) {
      if (i >= boundaries.length) return boundaries.length > 0 ? boundaries[boundaries.length - 1] : undefined;
      const upper = boundaries[i];
      const lower = i === 0 ? (upper > 0 ? 0 : upper) : boundaries[i - 1];
      return lower + (upper - lower) * ((rank - cum) / c);
    }
    cum += c;
  }
  return boundaries.length > 0 ? boundaries[boundaries.length - 1] : undefined;
}

/**
 * Upper estimate of the largest observation among bucket deltas: the upper bound of the highest
 * non-empty bucket, or `cumulativeMax` when the +Inf bucket got observations (or when the
 * cumulative max itself grew inside the window, which makes it exact).
 */
export function histogramMax(boundaries: readonly number[], counts: ArrayLike<number>, cumulativeMax: number | undefined, maxGrew: boolean): number | undefined {
  if (maxGrew && cumulativeMax !== undefined) return cumulativeMax;
  for (let i = counts.length - 1; i >= 0; i--) {
    if (counts[i] > 0) {
      if (i >= boundaries.length) return cumulativeMax ?? (boundaries.length > 0 ? boundaries[boundaries.length - 1] : undefined);
      return cumulativeMax !== undefined ? Math.min(boundaries[i], cumulativeMax) : boundaries[i];
    }
  }
  return undefined;
}

/** Compares a value with a level as a rule's `comparison` says. */
export function crosses(value: number, comparison: '>' | '>=' | '<' | '<=', level: number): boolean {
  switch (comparison) {
    case '>': return value > level;
    case '>=': return value >= level;
    case '<': return value < level;
    case '<=': return value <= level;
  }
}
