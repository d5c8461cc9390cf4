/**
 * Pure statistics over values and bucket counts, with Prometheus' semantics where one exists
 * (https://prometheus.io/docs/prometheus/latest/querying/functions/). Windows, resets and counter
 * increases live in the sample store (series-columns.ts), which keeps reset-adjusted values.
 */

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
