import { parseDuration } from '../config/schema/checks';
import { matchesAll, parseMatcher, type Matcher } from '../evaluator/rule-compiler';
import { histogramDelta } from '../evaluator/histogram-window';
import type { SeriesRef } from '../evaluator/series-columns';
import type { SeriesStore } from '../evaluator/series-store';
import { histogramQuantile } from '../evaluator/statistics';
import type { AreaReport, LatencySummary, MemoryReport, PerformanceReport, ReportOptions, ReportPoint } from './types';
import {
  ATTR_DB_OPERATION_NAME, ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_NODEJS_EVENTLOOP_STATE, METRIC_NODEJS_EVENTLOOP_TIME, NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE,
} from '../host-metrics/semconv';
import {
  ATTR_WS_ROLE, METRIC_WS_CONNECTIONS_ACTIVE, METRIC_WS_ERRORS, METRIC_WS_MESSAGES, METRIC_WS_MESSAGE_LATENCY,
} from '../../instrumentations/ws/semconv';
import {
  METRIC_TELEGRAM_FLOOD_WAIT_DURATION, METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_ERRORS,
} from '../../instrumentations/telegram/semconv';
import {
  ATTR_DB_CLIENT_CONNECTION_STATE, DB_CLIENT_CONNECTION_STATE_VALUE_USED, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_MAX,
  METRIC_DB_CLIENT_SLOW_QUERIES,
} from '../../instrumentations/pg/semconv';

/** How one area of the report is measured (the spec's analyzeNetworkPerformance, per area). */
interface AreaSpec {
  name: string;
  /** Latency histogram in seconds; its count is the throughput unless `ops` is set. */
  latency: string;
  ops?: { metric: string; matchers: Matcher[] };
  /** Failed operations: a counter, or the latency histogram filtered. */
  errors: { metric: string; matchers: Matcher[] };
  saturation?: (store: SeriesStore, now: number, dtMs: number) => number | null;
}

interface AreaTick {
  boundaries: readonly number[];
  counts: number[] | undefined;
  count: number;
  sum: number;
  ops: number;
  errors: number;
  saturation: number | null;
}

interface Tick {
  t: number;
  dtMs: number;
  areas: Record<string, AreaTick>;
  memory: NodeJS.MemoryUsage;
  slow: { overQueryTime: number; over200: number };
  slowByOp: Record<string, number>;
}

const m = (key: string, spec: string): Matcher => parseMatcher(key, spec);

/** Sum of the last values of the matching series seen at `now`. */
function lastSum(store: SeriesStore, name: string, matchers: Matcher[], now: number): number | undefined {
  const ms = store.metrics.get(name);
  if (!ms) return undefined;
  let s = 0;
  let n = 0;
  for (const w of ms.series.values()) {
    if (w.lastSeen !== now || !matchesAll(matchers, w.labels)) continue;
    s += w.columns.value(w, w.lastSeq);
    n++;
  }
  return n > 0 ? s : undefined;
}

/** Counter increase of one series over its last step (the tick that just happened). */
function lastStep(w: SeriesRef, now: number): number {
  const prev = w.columns.previousPresent(w, w.lastSeq);
  if (prev < 0 || w.lastSeen !== now) return 0;
  return w.columns.adjusted(w, w.lastSeq) - w.columns.adjusted(w, prev);
}

function stepSum(store: SeriesStore, name: string, matchers: Matcher[], now: number): number {
  const ms = store.metrics.get(name);
  if (!ms) return 0;
  let s = 0;
  for (const w of ms.series.values()) if (matchesAll(matchers, w.labels)) s += ms.kind === 'histogram' ? histStep(w, now)?.count ?? 0 : lastStep(w, now);
  return s;
}

function histStep(w: SeriesRef, now: number): ReturnType<typeof histogramDelta> | undefined {
  const prev = w.columns.previousPresent(w, w.lastSeq);
  if (prev < 0 || w.lastSeen !== now) return undefined;
  return histogramDelta(w, prev, w.lastSeq);
}

/** The report's areas; `maxConnections` is rateLimits.websocketConnections.total. */
export function reportAreas(maxConnections: number): AreaSpec[] {
  return [
    {
      name: 'api', latency: METRIC_HTTP_SERVER_REQUEST_DURATION,
      errors: { metric: METRIC_HTTP_SERVER_REQUEST_DURATION, matchers: [m(ATTR_HTTP_RESPONSE_STATUS_CODE, '=~5..')] },
      saturation: (store, now) => {
        const ms = store.metrics.get(METRIC_NODEJS_EVENTLOOP_TIME);
        if (!ms) return null;
        let active = 0;
        let total = 0;
        for (const w of ms.series.values()) {
          const d = lastStep(w, now);
          total += d;
          if (w.labels[ATTR_NODEJS_EVENTLOOP_STATE] === NODEJS_EVENTLOOP_STATE_VALUE_ACTIVE) active += d;
        }
        return total > 0 ? active / total : null;
      },
    },
    {
      name: 'websocket', latency: METRIC_WS_MESSAGE_LATENCY,
      ops: { metric: METRIC_WS_MESSAGES, matchers: [] },
      errors: { metric: METRIC_WS_ERRORS, matchers: [] },
      saturation: (store, now) => {
        const active = lastSum(store, METRIC_WS_CONNECTIONS_ACTIVE, [m(ATTR_WS_ROLE, 'server')], now);
        return active === undefined ? null : active / maxConnections;
      },
    },
    {
      name: 'telegram', latency: METRIC_TELEGRAM_RPC_DURATION,
      errors: { metric: METRIC_TELEGRAM_RPC_ERRORS, matchers: [] },
      saturation: (store, now, dtMs) => {
        // Share of time spent sleeping in flood waits.
        const ms = store.metrics.get(METRIC_TELEGRAM_FLOOD_WAIT_DURATION);
        if (!ms || dtMs <= 0) return null;
        let slept = 0;
        for (const w of ms.series.values()) slept += histStep(w, now)?.sum ?? 0;
        return Math.min(1, slept / (dtMs / 1000));
      },
    },
    {
      name: 'database', latency: METRIC_DB_CLIENT_OPERATION_DURATION,
      errors: { metric: METRIC_DB_CLIENT_OPERATION_DURATION, matchers: [m(ATTR_ERROR_TYPE, '=~.+')] },
      saturation: (store, now) => {
        const used = lastSum(store, METRIC_DB_CLIENT_CONNECTION_COUNT, [m(ATTR_DB_CLIENT_CONNECTION_STATE, DB_CLIENT_CONNECTION_STATE_VALUE_USED)], now);
        const max = lastSum(store, METRIC_DB_CLIENT_CONNECTION_MAX, [], now);
        return used === undefined || !max ? null : used / max;
      },
    },
  ];
}

/** Every metric the report history reads (the evaluator keeps a few samples of each). */
export const REPORT_METRICS: readonly string[] = [
  METRIC_HTTP_SERVER_REQUEST_DURATION, METRIC_NODEJS_EVENTLOOP_TIME, METRIC_WS_MESSAGE_LATENCY, METRIC_WS_MESSAGES, METRIC_WS_ERRORS,
  METRIC_WS_CONNECTIONS_ACTIVE, METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_ERRORS, METRIC_TELEGRAM_FLOOD_WAIT_DURATION,
  METRIC_DB_CLIENT_OPERATION_DURATION, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_MAX, METRIC_DB_CLIENT_SLOW_QUERIES,
];

const MB = 1024 * 1024;

/**
 * Bounded in-process history for `telemetry.report()`: one small record per evaluation (per-area
 * deltas, not raw series), at most `historyMs` of them.
 */
export class ReportHistory {
  private readonly ticks: Tick[] = [];
  private lastAt: number | undefined;

  constructor(private readonly areas: AreaSpec[], private readonly historyMs: number, private readonly queryTimeMs: number, private readonly now: () => number = Date.now) {}

  /** Records the step that just ended at `now` (call after each ingest). */
  record(store: SeriesStore, now: number): void {
    const dtMs = this.lastAt === undefined ? 0 : now - this.lastAt;
    this.lastAt = now;
    const areas: Record<string, AreaTick> = {};
    const slow = { overQueryTime: 0, over200: 0 };
    for (const a of this.areas) {
      const tick: AreaTick = { boundaries: [], counts: undefined, count: 0, sum: 0, ops: 0, errors: 0, saturation: a.saturation?.(store, now, dtMs) ?? null };
      for (const w of store.metrics.get(a.latency)?.series.values() ?? []) {
        const d = histStep(w, now);
        if (!d) continue;
        tick.count += d.count;
        tick.sum += d.sum;
        if (!tick.counts) {
          tick.boundaries = w.columns.boundaries;
          tick.counts = [...d.counts];
        } else if (tick.boundaries.join() === w.columns.boundaries.join()) {
          for (let b = 0; b < d.counts.length; b++) tick.counts[b] += d.counts[b];
        }
        if (a.name === 'database') {
          for (let b = 1; b < d.counts.length; b++) {
            const lower = w.columns.boundaries[b - 1] * 1000;
            if (lower >= this.queryTimeMs) slow.overQueryTime += d.counts[b];
            if (lower >= 200) slow.over200 += d.counts[b];
          }
        }
      }
      tick.ops = a.ops ? stepSum(store, a.ops.metric, a.ops.matchers, now) : tick.count;
      tick.errors = stepSum(store, a.errors.metric, a.errors.matchers, now);
      areas[a.name] = tick;
    }
    const slowByOp: Record<string, number> = {};
    for (const w of store.metrics.get(METRIC_DB_CLIENT_SLOW_QUERIES)?.series.values() ?? []) {
      const op = w.labels[ATTR_DB_OPERATION_NAME] ?? '';
      slowByOp[op] = (slowByOp[op] ?? 0) + lastStep(w, now);
    }
    this.ticks.push({ t: now, dtMs, areas, memory: process.memoryUsage(), slow, slowByOp });
    while (this.ticks.length > 0 && this.ticks[0].t < now - this.historyMs) this.ticks.shift();
  }

  /** The spec's analysis reports over the last `period`, in steps of `resolution`. */
  report(options: ReportOptions = {}): PerformanceReport {
    const periodMs = parseDuration(options.period ?? '1h');
    const resolutionMs = parseDuration(options.resolution ?? '1m');
    if (!(resolutionMs > 0) || resolutionMs > periodMs) throw new RangeError('report resolution must be positive and not longer than the period');
    const to = this.lastAt ?? this.now();
    const from = to - periodMs;
    const ticks = this.ticks.filter((k) => k.t > from && k.dtMs > 0);
    const coveredMs = ticks.reduce((s, k) => s + k.dtMs, 0);
    const areas: Record<string, AreaReport> = {};
    for (const a of this.areas) areas[a.name] = summarizeArea(a, ticks, coveredMs, from, resolutionMs);
    const slowByOperation: Record<string, number> = {};
    let over = 0;
    let over200 = 0;
    for (const k of ticks) {
      over += k.slow.overQueryTime;
      over200 += k.slow.over200;
      for (const [op, n] of Object.entries(k.slowByOp)) if (n > 0) slowByOperation[op] = (slowByOperation[op] ?? 0) + n;
    }
    const mem = this.ticks.filter((k) => k.t > from);
    const lastMem = mem[mem.length - 1]?.memory;
    const memory: MemoryReport | null = lastMem ? {
      heapUsed: lastMem.heapUsed / MB, heapTotal: lastMem.heapTotal / MB, external: lastMem.external / MB, rss: lastMem.rss / MB,
      peakRss: Math.max(...mem.map((k) => k.memory.rss)) / MB, peakHeapUsed: Math.max(...mem.map((k) => k.memory.heapUsed)) / MB,
    } : null;
    return {
      from: new Date(from).toISOString(), to: new Date(to).toISOString(), periodMs, resolutionMs, coveredMs,
      areas, queries: { slowerThanQueryTime: over, slowerThan200ms: over200, slowByOperation }, memory,
    };
  }
}

function latencyOf(boundaries: readonly number[], counts: number[] | undefined, count: number, sum: number): LatencySummary {
  const q = (p: number): number | null => {
    const v = counts ? histogramQuantile(p, boundaries, counts) : undefined;
    return v === undefined ? null : v * 1000;
  };
  return { p50: q(0.5), p95: q(0.95), p99: q(0.99), avg: count > 0 ? (sum / count) * 1000 : null, count };
}

function merge(ticks: Tick[], name: string): AreaTick & { sat: number[] } {
  const out: AreaTick & { sat: number[] } = { boundaries: [], counts: undefined, count: 0, sum: 0, ops: 0, errors: 0, saturation: null, sat: [] };
  for (const k of ticks) {
    const a = k.areas[name];
    if (!a) continue;
    out.count += a.count;
    out.sum += a.sum;
    out.ops += a.ops;
    out.errors += a.errors;
    if (a.saturation !== null) out.sat.push(a.saturation);
    if (!a.counts) continue;
    if (!out.counts) {
      out.boundaries = a.boundaries;
      out.counts = [...a.counts];
    } else if (out.boundaries.join() === a.boundaries.join()) for (let b = 0; b < a.counts.length; b++) out.counts[b] += a.counts[b];
  }
  out.saturation = out.sat.length > 0 ? out.sat.reduce((s, v) => s + v, 0) / out.sat.length : null;
  return out;
}

function summarizeArea(a: AreaSpec, ticks: Tick[], coveredMs: number, from: number, resolutionMs: number): AreaReport {
  const all = merge(ticks, a.name);
  const points: ReportPoint[] = [];
  const steps = new Map<number, Tick[]>();
  for (const k of ticks) {
    const step = Math.ceil((k.t - from) / resolutionMs);
    let list = steps.get(step);
    if (!list) steps.set(step, (list = []));
    list.push(k);
  }
  for (const [step, list] of [...steps].sort((x, y) => x[0] - y[0])) {
    const s = merge(list, a.name);
    const dt = list.reduce((sum, k) => sum + k.dtMs, 0);
    points.push({
      time: new Date(from + step * resolutionMs).toISOString(),
      p95: latencyOf(s.boundaries, s.counts, s.count, s.sum).p95,
      throughput: dt > 0 ? s.ops / (dt / 1000) : 0,
      errorRate: s.ops > 0 ? s.errors / s.ops : null,
      saturation: s.saturation,
    });
  }
  return {
    metric: a.latency,
    latency: latencyOf(all.boundaries, all.counts, all.count, all.sum),
    throughput: coveredMs > 0 ? all.ops / (coveredMs / 1000) : 0,
    errorRate: all.ops > 0 ? all.errors / all.ops : null,
    saturation: all.saturation,
    points,
  };
}
