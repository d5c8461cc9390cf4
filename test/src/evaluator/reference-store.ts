/**
 * The sample store of the naive reference (reference-statistics.ts): every sample the evaluator was
 * handed, in plain arrays per series, following docs/rules.md's series life.
 *
 * A counter or histogram series first seen after an earlier evaluation gets a zero sample at that
 * evaluation's time (docs/rules.md). A series not seen for longer than its metric's retention
 * (largest window of a rule reading it + 2 intervals) is forgotten: when it comes back it is first
 * seen again. A histogram series whose bucket layout changes starts over (no delta across layouts,
 * no zero sample). Delta points of every kind are added up into a running total.
 */

export type Kind = 'counter' | 'updown' | 'gauge' | 'histogram';
export type Labels = Record<string, string>;

/** One sample of a series as the evaluator holds it (delta points already added up). */
export interface Sample {
  t: number;
  /** Counter/gauge value, or histogram observation count. */
  v: number;
  /** Histogram only: sum of observations, count per bucket (last one +Inf), maximum observation. */
  sum: number;
  buckets: number[];
  /** Cumulative: the largest observation so far; delta: the largest of this point's interval. */
  max: number | undefined;
}

/** A point of one collection: a value (cumulative) or an increment (delta temporality). */
export type Point = Omit<Sample, 't'> & { labels: Labels; /** histogram bucket upper bounds (finite ones) */ bounds: number[] };

/** `note`: how the series came to be, when that is a case the test must see (see ingest). */
export interface RefSeries { labels: Labels; bounds: number[]; samples: Sample[]; lastSeen: number; note?: string }

export interface RefMetric { kind: Kind; delta: boolean; series: Map<string, RefSeries> }

export interface RefCollection { name: string; kind: Kind; delta: boolean; points: Point[] }

/** What the reference noticed while ingesting (the test checks every case happened). */
export type IngestEvent = 'late series' | 'expired series back' | 'series back within the retention' | 'layout changes';
const BACK_RIGHT_AFTER_EXPIRY = 'expired series back at the first evaluation past its retention';

/** Every sample ever collected, per metric and series, except series forgotten after the retention. */
export class ReferenceStore {
  readonly metrics = new Map<string, RefMetric>();
  latest = 0;
  private previous: number | undefined;

  constructor(private readonly retentionMs: (metric: string) => number, private readonly onEvent: (e: IngestEvent) => void = () => undefined) {}

  ingest(now: number, collection: RefCollection[]): void {
    for (const c of collection) {
      let m = this.metrics.get(c.name);
      if (!m) this.metrics.set(c.name, (m = { kind: c.kind, delta: c.delta, series: new Map() }));
      for (const p of c.points) {
        const key = JSON.stringify(Object.entries(p.labels).sort());
        let s = m.series.get(key);
        const retention = this.retentionMs(c.name);
        let note: string | undefined;
        if (s && now - s.lastSeen > retention) {
          // Not seen for the retention: forgotten, so first seen again. Noted when the previous
          // evaluation still had it in the retention (the evaluator only forgets absent series).
          this.onEvent('expired series back');
          if ((this.previous as number) - s.lastSeen <= retention) note = BACK_RIGHT_AFTER_EXPIRY;
          s = undefined;
        } else if (s && now - s.lastSeen > 60_000) this.onEvent('series back within the retention');
        if (s && s.bounds.join() !== p.bounds.join()) {
          this.onEvent('layout changes');
          m.series.set(key, (s = { labels: p.labels, bounds: p.bounds, samples: [], lastSeen: now })); // starts over, no zero sample
        }
        if (!s) {
          m.series.set(key, (s = { labels: p.labels, bounds: p.bounds, samples: [], lastSeen: now, note }));
          // "A counter or histogram series that appears after the evaluator started counts from zero."
          if (this.previous !== undefined && (c.kind === 'counter' || c.kind === 'histogram')) {
            this.onEvent('late series');
            s.samples.push({ t: this.previous, v: 0, sum: 0, buckets: p.buckets.map(() => 0), max: undefined });
          }
        }
        const prev = s.samples[s.samples.length - 1];
        if (c.delta && prev) {
          // Delta temporality: the evaluator sees running totals; a histogram's max stays the interval's.
          s.samples.push({ t: now, v: prev.v + p.v, sum: prev.sum + p.sum, buckets: p.buckets.map((b, i) => b + prev.buckets[i]), max: p.max });
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
