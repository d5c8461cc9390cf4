import {
  METRIC_PULSEGUARD_ALERTS_ACTIVE, METRIC_PULSEGUARD_ALERT_NOTIFICATIONS, METRIC_PULSEGUARD_ERRORS_TRACKED,
  METRIC_PULSEGUARD_INTERNAL_ERRORS, METRIC_PULSEGUARD_RECOVERY_RUNS,
} from '../semconv';
import { METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION, METRIC_SYSTEM_FILESYSTEM_UTILIZATION } from '../host-metrics/semconv';

/** The kind of a metric as the evaluator reads it. */
export type MetricKind = 'counter' | 'updown' | 'gauge' | 'histogram';

/** A metric the evaluator knows before it has seen any data (docs/metrics.md lists them). */
export interface KnownMetric {
  kind: MetricKind;
  /** Attribute keys it carries; filters and group-by on other keys are typos. */
  attributes: readonly string[];
}

const WS = ['ws.role'];
const HTTP_SERVER = ['http.request.method', 'http.response.status_code', 'http.route', 'url.scheme', 'network.protocol.name', 'network.protocol.version', 'error.type', 'server.address', 'server.port'];
const HTTP_CLIENT = ['http.request.method', 'http.response.status_code', 'server.address', 'server.port', 'url.scheme', 'network.protocol.name', 'network.protocol.version', 'error.type'];
const PG_OP = ['db.system.name', 'db.namespace', 'db.operation.name', 'db.collection.name', 'db.query.summary', 'db.response.status_code', 'error.type', 'server.address', 'server.port'];
const PG_POOL = ['db.client.connection.pool.name', 'db.client.connection.state'];

/**
 * DESIGN.md's metric catalogue plus the upstream http and runtime-node (0.36.1) metrics. Metrics
 * written by instrumentations that are not loaded simply report no data; a rule naming something
 * close to one of these, but not equal, is reported as a typo.
 */
export const KNOWN_METRICS: Readonly<Record<string, KnownMetric>> = {
  'websocket.connections.active': { kind: 'updown', attributes: WS },
  'websocket.connections.opened': { kind: 'counter', attributes: [...WS, 'outcome', 'reason'] },
  'websocket.connections.closed': { kind: 'counter', attributes: [...WS, 'websocket.close.code'] },
  'websocket.connection.duration': { kind: 'histogram', attributes: WS },
  'websocket.messages': { kind: 'counter', attributes: [...WS, 'network.io.direction', 'websocket.message.type'] },
  'websocket.message.size': { kind: 'histogram', attributes: [...WS, 'network.io.direction'] },
  'websocket.message.latency': { kind: 'histogram', attributes: [...WS, 'websocket.latency.kind'] },
  'websocket.ping.rtt': { kind: 'histogram', attributes: WS },
  'websocket.errors': { kind: 'counter', attributes: [...WS, 'error.type'] },
  'websocket.reconnects': { kind: 'counter', attributes: ['outcome'] },
  'telegram.rpc.duration': { kind: 'histogram', attributes: ['rpc.method', 'telegram.dc', 'error.type'] },
  'telegram.flood_waits': { kind: 'counter', attributes: ['rpc.method', 'telegram.flood.kind', 'telegram.flood.handling'] },
  'telegram.flood_wait.duration': { kind: 'histogram', attributes: ['rpc.method', 'telegram.flood.kind'] },
  'telegram.rpc.errors': { kind: 'counter', attributes: ['rpc.method', 'telegram.error'] },
  'telegram.dc.migrations': { kind: 'counter', attributes: ['telegram.dc.from', 'telegram.dc.to', 'reason'] },
  'telegram.dc.rtt': { kind: 'histogram', attributes: ['telegram.dc'] },
  'telegram.updates': { kind: 'counter', attributes: ['telegram.update.type'] },
  'telegram.updates.age': { kind: 'gauge', attributes: [] },
  'telegram.connection.state': { kind: 'gauge', attributes: ['telegram.dc'] },
  'telegram.reconnects': { kind: 'counter', attributes: ['reason'] },
  'telegram.session.errors': { kind: 'counter', attributes: ['telegram.error'] },
  'db.client.operation.duration': { kind: 'histogram', attributes: PG_OP },
  'db.client.connection.count': { kind: 'updown', attributes: PG_POOL },
  'db.client.connection.max': { kind: 'updown', attributes: PG_POOL },
  'db.client.connection.pending_requests': { kind: 'updown', attributes: PG_POOL },
  'db.client.slow_queries': { kind: 'counter', attributes: ['db.operation.name'] },
  // max - used per pool (instrumentations/pg): what the spec's "min available" means; idle alone undercounts a lazily grown pool.
  'pulseguard.db.connection.available': { kind: 'gauge', attributes: ['db.client.connection.pool.name'] },
  'ratelimit.decisions': { kind: 'counter', attributes: ['ratelimit.policy', 'outcome'] },
  'ratelimit.queue.wait': { kind: 'histogram', attributes: ['ratelimit.policy'] },
  [METRIC_PULSEGUARD_ALERTS_ACTIVE]: { kind: 'gauge', attributes: ['alertname', 'severity'] },
  [METRIC_PULSEGUARD_ALERT_NOTIFICATIONS]: { kind: 'counter', attributes: ['channel', 'outcome'] },
  [METRIC_PULSEGUARD_RECOVERY_RUNS]: { kind: 'counter', attributes: ['procedure', 'outcome'] },
  [METRIC_PULSEGUARD_INTERNAL_ERRORS]: { kind: 'counter', attributes: ['component'] },
  [METRIC_PULSEGUARD_ERRORS_TRACKED]: { kind: 'counter', attributes: ['error.class'] },
  'http.server.request.duration': { kind: 'histogram', attributes: HTTP_SERVER },
  'http.client.request.duration': { kind: 'histogram', attributes: HTTP_CLIENT },
  'nodejs.eventloop.time': { kind: 'counter', attributes: ['nodejs.eventloop.state'] },
  'nodejs.eventloop.utilization': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.min': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.max': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.mean': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.stddev': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.p50': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.p90': { kind: 'gauge', attributes: [] },
  'nodejs.eventloop.delay.p99': { kind: 'gauge', attributes: [] },
  'v8js.gc.duration': { kind: 'histogram', attributes: ['v8js.gc.type'] },
  'v8js.memory.heap.space.size': { kind: 'updown', attributes: ['v8js.heap.space.name'] },
  'v8js.memory.heap.used': { kind: 'gauge', attributes: ['v8js.heap.space.name'] },
  'v8js.memory.heap.space.available_size': { kind: 'gauge', attributes: ['v8js.heap.space.name'] },
  'v8js.memory.heap.space.physical_size': { kind: 'gauge', attributes: ['v8js.heap.space.name'] },
  'v8js.resource.active': { kind: 'updown', attributes: ['v8js.resource.type'] },
  [METRIC_PROCESS_CPU_TIME]: { kind: 'counter', attributes: ['cpu.mode'] },
  [METRIC_PROCESS_MEMORY_UTILIZATION]: { kind: 'gauge', attributes: [] },
  [METRIC_SYSTEM_FILESYSTEM_UTILIZATION]: { kind: 'gauge', attributes: ['system.filesystem.mountpoint'] },
};

/** Levenshtein distance, for "did you mean" suggestions (names are short; O(n·m) is fine). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest candidate within a typo's distance (a third of the name, at least 2), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD > 0 && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
