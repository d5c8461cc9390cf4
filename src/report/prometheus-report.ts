import { parseDuration } from '../config/schema/checks';
import { withTimeout } from '../internal/safe-call';
import type { AreaReport, LatencySummary, QueryReport, ReportPoint } from './types';
import { prometheusMetricName } from '../../exporters/prometheus/prometheus-names';
import { METRIC_DB_CLIENT_CONNECTION_COUNT } from '../../instrumentations/pg/semconv';

/** Options of {@link prometheusReport}. */
export interface PrometheusReportOptions {
  /** Base URL of the Prometheus server, e.g. http://prometheus:9090 */
  url: string;
  /** @default "1h" */
  period?: string | number;
  /** @default "1m" */
  resolution?: string | number;
  /** End of the period (epoch ms). @default now */
  end?: number;
  /** thresholds.database.queryTime, ms. @default 100 */
  queryTimeMs?: number;
  /** rateLimits.websocketConnections.total (per instance). @default 1000 */
  maxConnections?: number;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
}

/** The fleet-wide report `pulseguard report --prometheus URL` prints. */
export interface FleetReport {
  source: string;
  from: string;
  to: string;
  periodMs: number;
  resolutionMs: number;
  /** Instances that reported in the period (count of target_info series). */
  instances: number;
  areas: Record<string, AreaReport>;
  queries: QueryReport;
  /** Fleet totals in MB from the runtime metrics (RSS is not among them). */
  memory: { heapUsed: number; heapTotal: number } | null;
}

interface PromSample { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }
interface PromResponse { status: string; error?: string; data?: { resultType: string; result: PromSample[] } }

/**
 * The JSON body of a Prometheus API answer. Anything else (a /metrics endpoint answers its
 * "not found" text, an HTML page its markup) is named for what it is, instead of surfacing as a
 * JSON syntax error: the usual first try is pulseguard's own metrics port.
 */
async function promJson(res: Response, url: string): Promise<PromResponse> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as PromResponse;
    if (body && typeof body === 'object' && typeof body.status === 'string') return body;
  } catch {
    // not JSON: reported below
  }
  const type = res.headers.get('content-type') ?? 'no content type';
  throw new Error(`${url} is not a Prometheus HTTP API (it answered HTTP ${res.status}, ${type}). ` +
    'Pass the base URL of a Prometheus server (e.g. http://prometheus:9090), or report on one service ' +
    'from its own /metrics with --metrics URL (e.g. --metrics http://127.0.0.1:9464/metrics).');
}

/** One area in PromQL: metric base names as the OTel Prometheus exporter writes them. */
interface PromArea {
  name: string;
  latency: string;
  ops: (r: string) => string;
  errors: (r: string) => string;
  saturation: (r: string) => string;
}

const sel = (m: string, matchers = '') => (matchers ? `${m}{${matchers}}` : m);

function promAreas(maxConnections: number): PromArea[] {
  const hist = (base: string) => (r: string) => `sum(increase(${base}_count[${r}]))`;
  return [
    { name: 'api', latency: 'http_server_request_duration', ops: hist('http_server_request_duration'),
      errors: (r) => `sum(increase(${sel('http_server_request_duration_count', 'http_response_status_code=~"5.."')}[${r}]))`,
      saturation: (r) => `sum(rate(${sel('nodejs_eventloop_time_total', 'nodejs_eventloop_state="active"')}[${r}])) / sum(rate(nodejs_eventloop_time_total[${r}]))` },
    { name: 'websocket', latency: 'websocket_message_latency', ops: (r) => `sum(increase(websocket_messages_total[${r}]))`,
      errors: (r) => `sum(increase(websocket_errors_total[${r}]))`,
      saturation: (r) => `avg(sum by (service_instance_id) (avg_over_time(${sel('websocket_connections_active', 'ws_role="server"')}[${r}]))) / ${maxConnections}` },
    { name: 'telegram', latency: 'telegram_rpc_duration', ops: hist('telegram_rpc_duration'),
      errors: (r) => `sum(increase(telegram_rpc_errors_total[${r}]))`,
      saturation: (r) => `avg(sum by (service_instance_id) (rate(telegram_flood_wait_duration_sum[${r}])))` },
    { name: 'database', latency: 'db_client_operation_duration', ops: hist('db_client_operation_duration'),
      errors: (r) => `sum(increase(${sel('db_client_operation_duration_count', 'error_type!=""')}[${r}]))`,
      saturation: (r) => `sum(avg_over_time(${sel(prometheusMetricName(METRIC_DB_CLIENT_CONNECTION_COUNT, 'gauge'), 'db_client_connection_state="used"')}[${r}])) / sum(avg_over_time(db_client_connection_max[${r}]))` },
  ];
}

function promDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/**
 * The spec's analyzeNetworkPerformance / analyzeQueryPerformance over a whole fleet: the same
 * figures as `telemetry.report()`, computed by PromQL over the Prometheus HTTP API (instant
 * queries over the period for totals, /api/v1/query_range at `resolution` for the series).
 */
export async function prometheusReport(options: PrometheusReportOptions): Promise<FleetReport> {
  const base = options.url.replace(/\/+$/, '');
  const periodMs = parseDuration(options.period ?? '1h');
  const resolutionMs = parseDuration(options.resolution ?? '1m');
  if (!(resolutionMs > 0) || resolutionMs > periodMs) throw new RangeError('resolution must be positive and not longer than the period');
  const end = options.end ?? Date.now();
  const endS = end / 1000;
  const P = promDuration(periodMs);
  const R = promDuration(resolutionMs);
  const timeoutMs = options.timeoutMs ?? 10_000;

  const call = async (path: string, params: Record<string, string>): Promise<PromSample[]> => {
    const res = await withTimeout(fetch(`${base}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString(),
    }), timeoutMs, `Prometheus ${path}`);
    const body = await promJson(res, `${base}${path}`);
    if (body.status !== 'success' || !body.data) throw new Error(`Prometheus ${path} failed: ${body.error ?? res.status}`);
    return body.data.result;
  };
  const instant = async (q: string): Promise<number | null> => num((await call('/api/v1/query', { query: q, time: String(endS) }))[0]?.value?.[1]);
  const range = async (q: string): Promise<Map<number, number | null>> => {
    const out = new Map<number, number | null>();
    const r = await call('/api/v1/query_range', { query: q, start: String(endS - periodMs / 1000 + resolutionMs / 1000), end: String(endS), step: R });
    for (const [t, v] of r[0]?.values ?? []) out.set(t, num(v));
    return out;
  };

  const areas: Record<string, AreaReport> = {};
  for (const a of promAreas(options.maxConnections ?? 1000)) {
    const q = (p: number, r: string) => `histogram_quantile(${p}, sum by (le) (increase(${a.latency}_bucket[${r}])))`;
    const [p50, p95, p99, sum, count, ops, errors, saturation] = await Promise.all([
      instant(q(0.5, P)), instant(q(0.95, P)), instant(q(0.99, P)),
      instant(`sum(increase(${a.latency}_sum[${P}]))`), instant(`sum(increase(${a.latency}_count[${P}]))`),
      instant(a.ops(P)), instant(a.errors(P)), instant(a.saturation(P)),
    ]);
    const ms = (v: number | null) => (v === null ? null : v * 1000);
    const latency: LatencySummary = { p50: ms(p50), p95: ms(p95), p99: ms(p99), avg: count && sum !== null ? (sum / count) * 1000 : null, count: Math.round(count ?? 0) };
    const [rp95, rops, rerr, rsat] = await Promise.all([range(q(0.95, R)), range(a.ops(R)), range(a.errors(R)), range(a.saturation(R))]);
    const points: ReportPoint[] = [...rops.keys()].sort((x, y) => x - y).map((t) => {
      const o = rops.get(t) ?? 0;
      return {
        time: new Date(t * 1000).toISOString(), p95: ms(rp95.get(t) ?? null), throughput: o / (resolutionMs / 1000),
        errorRate: o > 0 ? (rerr.get(t) ?? 0) / o : null, saturation: rsat.get(t) ?? null,
      };
    });
    areas[a.name] = {
      metric: a.latency, latency, throughput: (ops ?? 0) / (periodMs / 1000),
      errorRate: ops ? (errors ?? 0) / ops : null, saturation, points,
    };
  }

  const queryTime = (options.queryTimeMs ?? 100) / 1000;
  const buckets = await call('/api/v1/query', { query: `sum by (le) (increase(db_client_operation_duration_bucket[${P}]))`, time: String(endS) });
  const cum = buckets.map((b) => ({ le: b.metric.le === '+Inf' ? Infinity : Number(b.metric.le), v: num(b.value?.[1]) ?? 0 })).sort((x, y) => x.le - y.le);
  const total = cum.length > 0 ? cum[cum.length - 1].v : 0;
  const atOrBelow = (x: number) => cum.filter((c) => c.le <= x).reduce((m, c) => Math.max(m, c.v), 0);
  const slowByOperation: Record<string, number> = {};
  for (const s of await call('/api/v1/query', { query: `sum by (db_operation_name) (increase(db_client_slow_queries_total[${P}]))`, time: String(endS) })) {
    const v = num(s.value?.[1]);
    if (v) slowByOperation[s.metric.db_operation_name ?? ''] = v;
  }
  // heapTotal as process.memoryUsage() means it: the heap spaces' sizes summed (runtime-node's
  // v8js.memory.heap.space.size; the older v8js.memory.heap.limit is no longer emitted).
  const [instances, heapUsed, heapTotal] = await Promise.all([
    instant('count(target_info)'), instant('sum(v8js_memory_heap_used)'), instant('sum(v8js_memory_heap_space_size)'),
  ]);
  const MB = 1024 * 1024;
  return {
    source: base, from: new Date(end - periodMs).toISOString(), to: new Date(end).toISOString(), periodMs, resolutionMs,
    instances: instances ?? 0, areas,
    queries: { slowerThanQueryTime: Math.round(total - atOrBelow(queryTime)), slowerThan200ms: Math.round(total - atOrBelow(0.2)), slowByOperation },
    memory: heapUsed !== null && heapTotal !== null ? { heapUsed: heapUsed / MB, heapTotal: heapTotal / MB } : null,
  };
}
