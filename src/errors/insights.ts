import type { ErrorGroupSummary, ErrorInsights, InsightsOptions, RisingGroup } from './types';


/**
 * The spec's classifier insights (`generateInsights`): the groups that matter most now. Each group
 * keeps a small count history (12 buckets of 5 minutes: one hour), enough to tell a group that
 * is rising from one that is merely large.
 */

/** Width of one history bucket. */
export const INSIGHT_BUCKET_MS = 5 * 60_000;
const BUCKETS = 12;
const HALF = BUCKETS / 2;
/** A group is rising when its last half hour has at least this many errors... */
const RISING_MIN_COUNT = 5;
/** ...and at least this many times the half hour before. */
const RISING_FACTOR = 2;

/** Errors per 5-minute bucket over the last hour (a ring: O(1) per error, no timers). @internal */
export class CountHistory {
  private readonly counts = new Uint32Array(BUCKETS);
  private head = -1;

  add(now: number): void {
    const b = Math.floor(now / INSIGHT_BUCKET_MS);
    this.advance(b);
    if (b > this.head - BUCKETS) this.counts[b % BUCKETS]++;
  }

  /** Errors in the `n` buckets ending `skip` buckets before the one holding `now`. */
  sum(now: number, skip: number, n: number): number {
    const current = Math.floor(now / INSIGHT_BUCKET_MS);
    let total = 0;
    for (let b = current - skip - n + 1; b <= current - skip; b++) {
      if (b <= this.head && b > this.head - BUCKETS && b >= 0) total += this.counts[b % BUCKETS];
    }
    return total;
  }

  private advance(b: number): void {
    if (b <= this.head) return;
    const from = this.head < 0 ? b - BUCKETS + 1 : Math.max(this.head + 1, b - BUCKETS + 1);
    for (let i = from; i <= b; i++) this.counts[((i % BUCKETS) + BUCKETS) % BUCKETS] = 0;
    this.head = b;
  }
}


/** A group as insights read it. @internal */
export interface InsightSource {
  summary: ErrorGroupSummary;
  history: CountHistory;
}

function copy(s: ErrorGroupSummary): ErrorGroupSummary {
  return { ...s, firstSeen: new Date(s.firstSeen), lastSeen: new Date(s.lastSeen) };
}

/** Computes insights over the tracker's groups. @internal */
export function computeInsights(groups: Iterable<InsightSource>, tracked: number, now: number, options: InsightsOptions = {}): ErrorInsights {
  const limit = Math.max(0, options.limit ?? 10);
  const newWithinMs = options.newWithinMs ?? 60 * 60_000;
  const all = [...groups];
  const top = [...all].sort((a, b) => b.summary.count - a.summary.count || b.summary.lastSeen.getTime() - a.summary.lastSeen.getTime());
  const fresh = all.filter((g) => now - g.summary.firstSeen.getTime() <= newWithinMs)
    .sort((a, b) => b.summary.firstSeen.getTime() - a.summary.firstSeen.getTime());
  const rising: RisingGroup[] = [];
  for (const g of all) {
    const last = g.history.sum(now, 0, HALF);
    const previous = g.history.sum(now, HALF, HALF);
    if (last >= RISING_MIN_COUNT && last >= RISING_FACTOR * previous) rising.push({ ...copy(g.summary), lastHalfHour: last, previousHalfHour: previous });
  }
  rising.sort((a, b) => (b.lastHalfHour - b.previousHalfHour) - (a.lastHalfHour - a.previousHalfHour));
  return {
    generatedAt: new Date(now),
    totals: { groups: all.length, tracked },
    topGroups: top.slice(0, limit).map((g) => copy(g.summary)),
    newGroups: fresh.slice(0, limit).map((g) => copy(g.summary)),
    risingGroups: rising.slice(0, limit),
  };
}

/** Formats insights as the text `pulseguard report` prints. */
export function formatInsights(i: ErrorInsights): string {
  const line = (g: ErrorGroupSummary): string => `  ${String(g.count).padStart(7)}  ${g.errorClass.padEnd(14)} ${g.type}: ${g.message}${g.frame ? `  (${g.frame})` : ''}`;
  const out = [`Errors: ${i.totals.groups} groups, ${i.totals.tracked} errors tracked`];
  out.push('Top groups:', ...(i.topGroups.length ? i.topGroups.map(line) : ['  none']));
  out.push('New groups:', ...(i.newGroups.length ? i.newGroups.map((g) => `${line(g)}  first seen ${g.firstSeen.toISOString()}`) : ['  none']));
  out.push('Rising groups (last 30 min vs the 30 min before):',
    ...(i.risingGroups.length ? i.risingGroups.map((g) => `${line(g)}  ${g.previousHalfHour} -> ${g.lastHalfHour}`) : ['  none']));
  return out.join('\n');
}
