import type { SeriesRef } from './series-columns';
import { histogramMax } from './statistics';

/** Bucket, count and sum increases of one histogram series over a window. */
export interface HistogramDelta {
  counts: Float64Array;
  count: number;
  sum: number;
}

/** Increase of a histogram series between its rows `i0` and `end`, counter resets handled. */
export function histogramDelta(ref: SeriesRef, i0: number, end: number): HistogramDelta {
  const c = ref.columns;
  const counts = new Float64Array(c.stride);
  c.addBucketDelta(ref, i0, end, counts);
  return { counts, count: c.adjusted(ref, end) - c.adjusted(ref, i0), sum: c.histSum(ref, end) - c.histSum(ref, i0) };
}

function defined(x: number): number | undefined {
  return Number.isNaN(x) ? undefined : x;
}

function larger(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined || a >= b ? a : b;
}

/**
 * Largest observation of a histogram series in its rows after `i0` up to `end` (docs/rules.md):
 * exact when the reported max tells (it grew in the window, or a reset or a delta interval makes
 * it the window's own), else the upper bound of the highest non-empty bucket, capped by the max.
 */
export function histogramWindowMax(ref: SeriesRef, i0: number, end: number, scratch: Float64Array): number | undefined {
  const c = ref.columns;
  if (c.delta) return deltaWindowMax(ref, i0, end, scratch);
  // The reset count is cumulative: equal at both ends, no reset in between, one segment. Checked
  // first so that the common case costs two reads instead of a walk over every row of the window.
  if (c.histResets(ref, end) === c.histResets(ref, i0)) return segmentMax(ref, i0, end, false, scratch);
  // Cumulative points: split the window at counter resets; each segment has its own max.
  let best: number | undefined;
  let start = i0;
  let restarted = false;
  let prev = i0;
  for (let s = i0 + 1; s <= end; s++) {
    if (!c.present(ref, s)) continue;
    if (c.histResets(ref, s) > c.histResets(ref, prev)) {
      best = larger(best, segmentMax(ref, start, prev, restarted, scratch));
      start = s;
      restarted = true;
    }
    prev = s;
  }
  return larger(best, segmentMax(ref, start, end, restarted, scratch));
}

/** Max of the observations after row `a` up to row `b`; `fromZero`: the series restarted at `a`. */
function segmentMax(ref: SeriesRef, a: number, b: number, fromZero: boolean, scratch: Float64Array): number | undefined {
  const c = ref.columns;
  const maxB = defined(c.histMax(ref, b));
  if (fromZero) {
    if (c.value(ref, b) <= 0) return undefined;
    for (let k = 0; k < c.stride; k++) scratch[k] = c.bucket(ref, b, k);
    return maxB ?? histogramMax(c.boundaries, scratch, undefined, false);
  }
  if (a === b || c.value(ref, b) - c.value(ref, a) <= 0) return undefined;
  for (let k = 0; k < c.stride; k++) scratch[k] = c.bucket(ref, b, k) - c.bucket(ref, a, k);
  const maxA = defined(c.histMax(ref, a));
  const grew = maxB !== undefined && (maxA === undefined || maxB > maxA);
  return histogramMax(c.boundaries, scratch, maxB, grew);
}

/** Delta points: each point's max is its own interval's, so the window's is the largest of them. */
function deltaWindowMax(ref: SeriesRef, i0: number, end: number, scratch: Float64Array): number | undefined {
  const c = ref.columns;
  let best: number | undefined;
  let prev = i0;
  for (let s = i0 + 1; s <= end; s++) {
    if (!c.present(ref, s)) continue;
    const observed = c.adjusted(ref, s) - c.adjusted(ref, prev) > 0;
    prev = s;
    if (!observed) continue;
    const m = defined(c.histMax(ref, s));
    if (m === undefined) {
      // An interval without a max: fall back to the buckets of the whole window.
      scratch.fill(0);
      c.addBucketDelta(ref, i0, end, scratch);
      return histogramMax(c.boundaries, scratch, undefined, false);
    }
    best = larger(best, m);
  }
  return best;
}
