// The cell of one series in one row of SeriesColumns, and how a sample is folded into it.
//
// Every kind: time (NaN when the series was absent from that collection), the raw value and the
// value with counter resets folded in ("adjusted": a drop counts the new value whole, as rate()
// does), so an increase over a window is one subtraction. Histograms: count (raw and adjusted),
// sum (raw and adjusted), max (NaN: unknown), resets so far, then raw bucket counts. Buckets are
// stored raw, not adjusted: writing a row is then a plain copy, and only a window with a reset in
// it (rare) walks its rows.

export const T = 0;
export const ADJ = 1;
export const RAW = 2;
export const SUM_ADJ = 3;
export const SUM_RAW = 4;
export const MAX = 5;
export const RESETS = 6;
export const BUCKETS = 7;

/** Width of a counter or gauge cell: time, adjusted, raw. */
export const VALUE_CELL_WIDTH = 3;

/**
 * Writes a counter or gauge sample at `o` of `row`, the adjusted value continuing from the
 * series' previous row `p` (undefined: the series starts here).
 */
export function writeValueCell(row: Float64Array, o: number, p: Float64Array | undefined, value: number, t: number): void {
  row[o + ADJ] = p === undefined ? value : p[o + ADJ] + (value >= p[o + RAW] ? value - p[o + RAW] : value);
  row[o + RAW] = value;
  row[o + T] = t;
}

/**
 * Writes a histogram sample (`counts` per bucket, `stride` buckets) at `o` of `row`. A drop of the
 * count against the previous row `p` is a reset: the count and the sum restart from the new values
 * and the reset is counted.
 */
export function writeHistogramCell(
  row: Float64Array, o: number, p: Float64Array | undefined, t: number,
  counts: ArrayLike<number>, stride: number, count: number, sum: number, max: number | undefined,
): void {
  row[o + T] = t;
  row[o + RAW] = count;
  row[o + SUM_RAW] = sum;
  row[o + MAX] = max ?? NaN;
  if (p === undefined) {
    row[o + ADJ] = count;
    row[o + SUM_ADJ] = sum;
    row[o + RESETS] = 0;
  } else {
    const reset = count < p[o + RAW];
    row[o + ADJ] = p[o + ADJ] + (reset ? count : count - p[o + RAW]);
    row[o + SUM_ADJ] = p[o + SUM_ADJ] + (reset ? sum : sum - p[o + SUM_RAW]);
    row[o + RESETS] = p[o + RESETS] + (reset ? 1 : 0);
  }
  for (let b = 0; b < stride; b++) row[o + BUCKETS + b] = counts[b] ?? 0;
}
