import { parseDuration } from '../config/schema/checks';
import { withTimeout } from '../internal/safe-call';
import { histogramQuantile } from '../evaluator/statistics';
import { ERRORS_TRACKED_METRIC, errorInsightsOf, type FleetErrorInsights } from '../errors/fleet-insights';
import { prometheusMetricName } from '../../exporters/prometheus/prometheus-names';
import { METRIC_DB_CLIENT_CONNECTION_COUNT } from '../../instrumentations/pg/semconv';
import { parseExposition, type ExpositionSample } from './exposition';
import type { FleetReport } from './prometheus-report';
import type { AreaReport } from './types';

/** Options of {@link scrapeReport}. */
export interface ScrapeReportOptions {
  /** A service's /metrics URL, e.g. http://127.0.0.1:9464/metrics */
  url: string;
  /** Time between the first and the last scrape. @default "10s" */
  interval?: string | number;
  /** thresholds.database.queryTime, ms. @default 100 */
  queryTimeMs?: number;
  /** rateLimits.websocketConnections.total. @default 1000 */
  maxConnections?: number;
  /** Per-scrape timeout. @default 10000 */
  timeoutMs?: number;
  /** Waits between scrapes (tests pass a faster one). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

type Scrape = ExpositionSample[];
type Matcher = (labels: Record<string, string>) => boolean;
const all: Matcher = () => true;

const seriesKey = (s: ExpositionSample): string => `${s.name}${JSON.stringify(s.labels)}`;

/** Sum of the matching samples of one scrape. */
function total(s: Scrape, name: string, match: Matcher = all): number {
  let n = 0;
  for (const x of s) if (x.name === name && match(x.labels)) n += x.value;
  return n;
}

/** Growth of the matching counter series between two scrapes (a series that went down restarted: its new value counts). */
function increase(a: Scrape, b: Scrape, name: string, match: Matcher = all): number {
  const before = new Map<string, number>();
  for (const x of a) if (x.name === name && match(x.labels)) before.set(seriesKey(x), x.value);
  let n = 0;
  for (const x of b) {
    if (x.name !== name || !match(x.labels)) continue;
    const d = x.value - (before.get(seriesKey(x)) ?? 0);
    n += d < 0 ? x.value : d;
  }
  return n;
}

/** Growth per label value (`by`) of a counter between two scrapes. */
function increaseBy(a: Scrape, b: Scrape, name: string, by: string): Map<string, number> {
  const values = new Set(b.filter((x) => x.name === name).map((x) => x.labels[by] ?? ''));
  return new Map([...values].map((v) => [v, increase(a, b, name, (l) => (l[by] ?? '') === v)]));
}

/** Cumulative bucket growth of a histogram, by upper bound, ascending. */
function bucketIncrease(a: Scrape, b: Scrape, base: string, match: Matcher = all): Array<{ le: number; count: number }> {
  const les = new Set(b.filter((x) => x.name === `${base}_bucket`).map((x) => x.labels.le));
  return [...les].map((le) => ({
    le: le === '+Inf' ? Infinity : Number(le),
    count: increase(a, b, `${base}_bucket`, (l) => l.le === le && match(l)),
  })).sort((x, y) => x.le - y.le);
}

/**
 * Prometheus's histogram_quantile over cumulative `le` buckets (ascending, +Inf last): the
 * evaluator's own implementation, fed the finite bounds and the count inside each bucket; null
 * without observations.
 */
export function quantileOfBuckets(q: number, buckets: ReadonlyArray<{ le: number; count: number }>): number | null {
  const boundaries: number[] = [];
  const counts: number[] = [];
  let below = 0;
  for (const b of buckets) {
    if (b.le !== Infinity) boundaries.push(b.le);
    counts.push(b.count - below);
    below = b.count;
  }
  return histogramQuantile(q, boundaries, counts) ?? null;
}

/** One area between two scrapes: the same figures as the Prometheus report's PromQL. */
interface ScrapeArea {
  name: string;
  latency: string;
  ops(a: Scrape, b: Scrape): number;
  errors(a: Scrape, b: Scrape): number;
  saturation(a: Scrape, b: Scrape, seconds: number): number | null;
}

const ratioOrNull = (num: number, den: number): number | null => (den > 0 ? num / den : null);

function scrapeAreas(maxConnections: number): ScrapeArea[] {
  const observations = (base: string, match?: Matcher) => (a: Scrape, b: Scrape) => increase(a, b, `${base}_count`, match);
  const connectionCount = prometheusMetricName(METRIC_DB_CLIENT_CONNECTION_COUNT, 'gauge');
  return [
    { name: 'api', latency: 'http_server_request_duration', ops: observations('http_server_request_duration'),
      errors: observations('http_server_request_duration', (l) => /^5\d\d$/.test(l.http_response_status_code ?? '')),
      saturation: (a, b) => ratioOrNull(increase(a, b, 'nodejs_eventloop_time_total', (l) => l.nodejs_eventloop_state === 'active'), increase(a, b, 'nodejs_eventloop_time_total')) },
    { name: 'websocket', latency: 'websocket_message_latency', ops: (a, b) => increase(a, b, 'websocket_messages_total'),
      errors: (a, b) => increase(a, b, 'websocket_errors_total'),
      saturation: (_, b) => total(b, 'websocket_connections_active', (l) => l.ws_role === 'server') / maxConnections },
    { name: 'telegram', latency: 'telegram_rpc_duration', ops: observations('telegram_rpc_duration'),
      errors: (a, b) => increase(a, b, 'telegram_rpc_errors_total'),
      saturation: (a, b, seconds) => increase(a, b, 'telegram_flood_wait_duration_sum') / seconds },
    { name: 'database', latency: 'db_client_operation_duration', ops: observations('db_client_operation_duration'),
      errors: observations('db_client_operation_duration', (l) => (l.error_type ?? '') !== ''),
      saturation: (_, b) => ratioOrNull(total(b, connectionCount, (l) => l.db_client_connection_state === 'used'), total(b, 'db_client_connection_max')) },
  ];
}

async function scrape(url: string, timeoutMs: number): Promise<Scrape> {
  const res = await withTimeout(fetch(url, { headers: { accept: 'text/plain' } }), timeoutMs, `scrape of ${url}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}; pass a service's /metrics URL (e.g. http://127.0.0.1:9464/metrics)`);
  try {
    return parseExposition(text);
  } catch (e) {
    throw new Error(`${url} is not a Prometheus /metrics endpoint (${(e as Error).message})`);
  }
}

/**
 * `pulseguard report --metrics URL`: the report of one service without a Prometheus server,
 * from its own /metrics. Three scrapes over `interval` (start, middle, end); rates come from the
 * difference between the first and the last, error classes from the two halves. Percentiles are
 * estimated from the histogram buckets as Prometheus's histogram_quantile does; gauges (pool
 * use, connections) are read at the last scrape.
 */
export async function scrapeReport(options: ScrapeReportOptions): Promise<{ report: FleetReport; errors: FleetErrorInsights }> {
  const intervalMs = parseDuration(options.interval ?? '10s');
  if (!(intervalMs >= 1000)) throw new RangeError('interval must be at least 1s');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const startedAt = Date.now();
  const first = await scrape(options.url, timeoutMs);
  await sleep(intervalMs / 2);
  const middle = await scrape(options.url, timeoutMs);
  await sleep(intervalMs / 2);
  const last = await scrape(options.url, timeoutMs);
  const endedAt = Date.now();
  const seconds = Math.max(0.001, (endedAt - startedAt) / 1000);

  const areas: Record<string, AreaReport> = {};
  for (const a of scrapeAreas(options.maxConnections ?? 1000)) {
    const buckets = bucketIncrease(first, last, a.latency);
    const ms = (q: number): number | null => {
      const v = quantileOfBuckets(q, buckets);
      return v === null ? null : v * 1000;
    };
    const count = increase(first, last, `${a.latency}_count`);
    const sum = increase(first, last, `${a.latency}_sum`);
    const ops = a.ops(first, last);
    const errorRate = ops > 0 ? a.errors(first, last) / ops : null;
    const saturation = a.saturation(first, last, seconds);
    const p95 = ms(0.95);
    areas[a.name] = {
      metric: a.latency,
      latency: { p50: ms(0.5), p95, p99: ms(0.99), avg: count > 0 ? (sum / count) * 1000 : null, count: Math.round(count) },
      throughput: ops / seconds, errorRate, saturation,
      points: [{ time: new Date(endedAt).toISOString(), p95, throughput: ops / seconds, errorRate, saturation }],
    };
  }

  const queryTime = (options.queryTimeMs ?? 100) / 1000;
  const db = bucketIncrease(first, last, 'db_client_operation_duration');
  const queries = db.length > 0 ? db[db.length - 1].count : 0;
  const atOrBelow = (x: number): number => db.filter((b) => b.le <= x).reduce((m, b) => Math.max(m, b.count), 0);
  const slowByOperation: Record<string, number> = {};
  for (const [op, n] of increaseBy(first, last, 'db_client_slow_queries_total', 'db_operation_name')) if (n > 0) slowByOperation[op] = n;
  const MB = 1024 * 1024;
  const hasHeap = last.some((x) => x.name === 'v8js_memory_heap_used');
  const report: FleetReport = {
    source: options.url, from: new Date(startedAt).toISOString(), to: new Date(endedAt).toISOString(),
    periodMs: endedAt - startedAt, resolutionMs: endedAt - startedAt,
    instances: last.filter((x) => x.name === 'target_info').length,
    areas,
    queries: { slowerThanQueryTime: Math.round(queries - atOrBelow(queryTime)), slowerThan200ms: Math.round(queries - atOrBelow(0.2)), slowByOperation },
    memory: hasHeap ? { heapUsed: total(last, 'v8js_memory_heap_used') / MB, heapTotal: total(last, 'v8js_memory_heap_space_size') / MB } : null,
  };
  const errors = errorInsightsOf(
    increaseBy(first, last, ERRORS_TRACKED_METRIC, 'error_class'),
    increaseBy(middle, last, ERRORS_TRACKED_METRIC, 'error_class'),
    increaseBy(first, middle, ERRORS_TRACKED_METRIC, 'error_class'),
  );
  return { report, errors };
}
