import type { MetricKind } from '../metrics/types';
import type { Labels } from './series-ref';
import { ADJ, BUCKETS, MAX, RAW, RESETS, SUM_ADJ, T, VALUE_CELL_WIDTH, writeHistogramCell, writeValueCell } from './series-cell';

// Running totals of delta points, per series: value (or count), sum, then buckets.
const D_VALUE = 0;
const D_SUM = 1;
const D_BUCKETS = 2;

/**
 * The samples of every series of one metric (and one bucket layout), time-aligned: one row per
 * collection, one fixed-width cell per series (its layout: series-cell.ts), rows in a ring. Why: an evaluation writes one cell
 * and reads two per series, and with every series in one row slab those are sequential reads and
 * writes instead of thousands of small buffers scattered over the heap (which made cache misses
 * the largest cost), and nothing is allocated per sample.
 */
export class SeriesColumns {
  readonly stride: number;
  readonly width: number;
  private readonly deltaWidth: number;
  readonly boundariesKey: string;
  /** Live series by slot (holes where series were dropped). */
  readonly refs: (SeriesRef | undefined)[] = [];
  /** Series written into the newest row. */
  writtenInNewest = 0;
  private rows: Float64Array[] = [];
  private times: Float64Array;
  private mask: number;
  /** Oldest and newest row (sequence numbers; ring index = seq & mask). */
  firstSeq = 0;
  newestSeq = -1;
  private slotCap = 16;
  private freeSlots: number[] = [];
  private nextSlot = 0;
  /** Running totals for delta temporality (allocated at the first delta point). */
  private deltaTotals: Float64Array | undefined;
  /** The metric came with delta temporality (a histogram's max is then per interval). */
  delta = false;

  constructor(readonly kind: MetricKind, readonly boundaries: readonly number[], ringSize: number) {
    this.stride = kind === 'histogram' ? boundaries.length + 1 : 0;
    this.width = kind === 'histogram' ? BUCKETS + this.stride : VALUE_CELL_WIDTH;
    this.deltaWidth = D_BUCKETS + this.stride;
    this.boundariesKey = boundaries.join(',');
    this.times = new Float64Array(ringSize);
    this.mask = ringSize - 1;
  }

  /** Adds a series; it has no sample until written. */
  add(labels: Labels, key: string, id: number): SeriesRef {
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    if (slot >= this.slotCap) this.growSlots();
    this.deltaTotals?.fill(0, slot * this.deltaWidth, (slot + 1) * this.deltaWidth);
    const ref = new SeriesRef(labels, key, id, this, slot);
    this.refs[slot] = ref;
    return ref;
  }

  /** Drops a series; its slot is reused. */
  remove(ref: SeriesRef): void {
    ref.live = false;
    this.refs[ref.slot] = undefined;
    this.freeSlots.push(ref.slot);
  }

  get size(): number {
    return this.nextSlot - this.freeSlots.length;
  }

  /** Starts the row of a collection taken at `t` (once per collection, before the first write). */
  beginRow(t: number): void {
    if (this.newestSeq - this.firstSeq + 1 > this.mask) this.growRing();
    const seq = ++this.newestSeq;
    const i = seq & this.mask;
    this.rows[i] ??= new Float64Array(this.slotCap * this.width);
    this.times[i] = t;
    this.writtenInNewest = 0;
  }

  /** Marks the series not written into the newest row as absent from it. */
  endRow(): void {
    if (this.writtenInNewest === this.size) return;
    const row = this.rows[this.newestSeq & this.mask];
    for (const ref of this.refs) if (ref !== undefined && ref.lastSeq !== this.newestSeq) row[ref.slot * this.width + T] = NaN;
  }

  /** Drops rows older than `cutoff`, keeping one at or before it. */
  trim(cutoff: number): void {
    while (this.newestSeq > this.firstSeq && this.times[(this.firstSeq + 1) & this.mask] <= cutoff) this.firstSeq++;
  }

  /** The running totals of a series fed delta points. */
  private deltaOf(ref: SeriesRef): number {
    this.delta = true;
    this.deltaTotals ??= new Float64Array(this.slotCap * this.deltaWidth);
    return ref.slot * this.deltaWidth;
  }

  /** The series' last row if still held (a series back after it was trimmed starts over). */
  private previous(ref: SeriesRef): Float64Array | undefined {
    return ref.lastSeq >= this.firstSeq ? this.rows[ref.lastSeq & this.mask] : undefined;
  }

  /** Writes a counter or gauge value into the newest row (a delta point is added to a running total). */
  write(ref: SeriesRef, value: number, delta: boolean): void {
    if (delta) {
      const d = this.deltaOf(ref);
      value = (this.deltaTotals as Float64Array)[d + D_VALUE] += value;
    }
    const seq = this.newestSeq;
    writeValueCell(this.rows[seq & this.mask], ref.slot * this.width, this.previous(ref), value, this.times[seq & this.mask]);
    this.wrote(ref, seq);
  }

  /**
   * Writes a histogram point (`counts` per bucket) into the newest row. A drop of the count is a
   * reset: every bucket, the count and the sum restart from the new values (series-cell.ts).
   */
  writeHistogram(ref: SeriesRef, counts: ArrayLike<number>, count: number, sum: number, max: number | undefined, delta: boolean): void {
    const stride = this.stride;
    if (delta) {
      const d = this.deltaOf(ref);
      const acc = this.deltaTotals as Float64Array;
      for (let b = 0; b < stride; b++) acc[d + D_BUCKETS + b] += counts[b] ?? 0;
      counts = acc.subarray(d + D_BUCKETS, d + D_BUCKETS + stride);
      count = acc[d + D_VALUE] += count;
      sum = acc[d + D_SUM] += sum;
    }
    const seq = this.newestSeq;
    writeHistogramCell(this.rows[seq & this.mask], ref.slot * this.width, this.previous(ref), this.times[seq & this.mask], counts, stride, count, sum, max);
    this.wrote(ref, seq);
  }

  /**
   * Gives a new counter or histogram series a zero sample in the row before the newest: it was
   * born after that collection, so its first increments count.
   */
  writeZeroBefore(ref: SeriesRef): void {
    const seq = this.newestSeq - 1;
    if (seq < this.firstSeq || ref.lastSeq >= 0) return;
    const row = this.rows[seq & this.mask];
    const o = ref.slot * this.width;
    row.fill(0, o, o + this.width);
    row[o + T] = this.times[seq & this.mask];
    if (this.kind === 'histogram') row[o + MAX] = NaN;
    ref.bornSeq = ref.lastSeq = seq;
    ref.lastSeen = row[o + T];
  }

  private wrote(ref: SeriesRef, seq: number): void {
    if (ref.lastSeq !== seq) this.writtenInNewest++;
    if (ref.bornSeq < 0) ref.bornSeq = seq;
    ref.lastSeq = seq;
    ref.lastSeen = this.times[seq & this.mask];
  }

  // ---- reading -------------------------------------------------------------------------------

  time(seq: number): number {
    return this.times[seq & this.mask];
  }

  /** The first row at or after `from` (newestSeq + 1 when none). */
  seqFrom(from: number): number {
    let lo = this.firstSeq;
    let hi = this.newestSeq + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[mid & this.mask] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The series' first sample at or after row `seq` (> ref.lastSeq when none). */
  firstPresent(ref: SeriesRef, seq: number): number {
    let s = Math.max(seq, ref.bornSeq, this.firstSeq);
    const o = ref.slot * this.width;
    while (s <= ref.lastSeq && Number.isNaN(this.rows[s & this.mask][o + T])) s++;
    return s;
  }

  /** The series' sample before row `seq` (-1 when none is kept). */
  previousPresent(ref: SeriesRef, seq: number): number {
    let s = seq - 1;
    const floor = Math.max(ref.bornSeq, this.firstSeq);
    const o = ref.slot * this.width;
    while (s >= floor && Number.isNaN(this.rows[s & this.mask][o + T])) s--;
    return s >= floor ? s : -1;
  }

  /** Present in row `seq`? */
  present(ref: SeriesRef, seq: number): boolean {
    return !Number.isNaN(this.rows[seq & this.mask][ref.slot * this.width + T]);
  }

  /** Adjusted value (histograms: adjusted count) of the series in row `seq`. */
  adjusted(ref: SeriesRef, seq: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + ADJ];
  }

  /** Raw value of a counter or gauge in row `seq`. */
  value(ref: SeriesRef, seq: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + RAW];
  }

  /** Adjusted sum of a histogram in row `seq`. */
  histSum(ref: SeriesRef, seq: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + SUM_ADJ];
  }

  histResets(ref: SeriesRef, seq: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + RESETS];
  }

  /** Raw max in row `seq` (NaN: unknown). */
  histMax(ref: SeriesRef, seq: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + MAX];
  }

  /** Raw (cumulative since the series started) count of bucket `b` in row `seq`. */
  bucket(ref: SeriesRef, seq: number, b: number): number {
    return this.rows[seq & this.mask][ref.slot * this.width + BUCKETS + b];
  }

  /** Adds the series' bucket increases between its rows `from` and `to` into `out`. */
  addBucketDelta(ref: SeriesRef, from: number, to: number, out: Float64Array): void {
    const o = ref.slot * this.width;
    let a = this.rows[from & this.mask];
    const z = this.rows[to & this.mask];
    if (z[o + RESETS] === a[o + RESETS]) {
      for (let b = 0; b < this.stride; b++) out[b] += z[o + BUCKETS + b] - a[o + BUCKETS + b];
      return;
    }
    // A reset in between: step by step, a reset step counting its buckets whole.
    for (let s = from + 1; s <= to; s++) {
      const r = this.rows[s & this.mask];
      if (Number.isNaN(r[o + T])) continue;
      const reset = r[o + RESETS] > a[o + RESETS];
      for (let b = 0; b < this.stride; b++) out[b] += reset ? r[o + BUCKETS + b] : r[o + BUCKETS + b] - a[o + BUCKETS + b];
      a = r;
    }
  }

  // ---- growth --------------------------------------------------------------------------------

  private growRing(): void {
    const size = (this.mask + 1) * 2;
    const rows: Float64Array[] = new Array<Float64Array>(size);
    const times = new Float64Array(size);
    for (let s = this.firstSeq; s <= this.newestSeq; s++) {
      rows[s & (size - 1)] = this.rows[s & this.mask];
      times[s & (size - 1)] = this.times[s & this.mask];
    }
    this.rows = rows;
    this.times = times;
    this.mask = size - 1;
  }

  private growSlots(): void {
    const cap = this.slotCap * 2;
    for (let i = 0; i < this.rows.length; i++) {
      const old = this.rows[i];
      if (old === undefined) continue;
      const next = new Float64Array(cap * this.width);
      next.set(old);
      this.rows[i] = next;
    }
    if (this.deltaTotals) {
      const d = new Float64Array(cap * this.deltaWidth);
      d.set(this.deltaTotals);
      this.deltaTotals = d;
    }
    this.slotCap = cap;
  }
}

/** One series: its labels and where its cells are. */
export class SeriesRef {
  /** False once dropped (expired, or moved to another bucket layout). */
  live = true;
  /** Row of its first sample, and of its last. */
  bornSeq = -1;
  lastSeq = -1;
  /** Time of its last sample. */
  lastSeen = 0;

  /** `id`: small, unique among the metric's live series (rule caches index by it). */
  constructor(readonly labels: Labels, readonly key: string, readonly id: number, readonly columns: SeriesColumns, readonly slot: number) {}
}
