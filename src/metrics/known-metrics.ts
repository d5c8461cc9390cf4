import {
  ATTR_DB_COLLECTION_NAME, ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_QUERY_SUMMARY, ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME, ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_NAME, ATTR_NETWORK_PROTOCOL_VERSION, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_SCHEME,
  METRIC_DB_CLIENT_OPERATION_DURATION, METRIC_HTTP_CLIENT_REQUEST_DURATION, METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_ALERTNAME, ATTR_PULSEGUARD_CHANNEL, ATTR_PULSEGUARD_COMPONENT, ATTR_PULSEGUARD_ERROR_CLASS, ATTR_PULSEGUARD_OUTCOME,
  ATTR_PULSEGUARD_PROCEDURE, ATTR_SEVERITY, METRIC_PULSEGUARD_ALERTS_ACTIVE, METRIC_PULSEGUARD_ALERT_NOTIFICATIONS,
  METRIC_PULSEGUARD_ERRORS_TRACKED, METRIC_PULSEGUARD_INTERNAL_ERRORS, METRIC_PULSEGUARD_RECOVERY_RUNS,
} from '../semconv';
import {
  ATTR_CPU_MODE, ATTR_NODEJS_EVENTLOOP_STATE, ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT, ATTR_V8JS_GC_TYPE, ATTR_V8JS_HEAP_SPACE_NAME,
  ATTR_V8JS_RESOURCE_TYPE, METRIC_NODEJS_EVENTLOOP_DELAY_MAX, METRIC_NODEJS_EVENTLOOP_DELAY_MEAN, METRIC_NODEJS_EVENTLOOP_DELAY_MIN,
  METRIC_NODEJS_EVENTLOOP_DELAY_P50, METRIC_NODEJS_EVENTLOOP_DELAY_P90, METRIC_NODEJS_EVENTLOOP_DELAY_P99,
  METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV, METRIC_NODEJS_EVENTLOOP_TIME, METRIC_NODEJS_EVENTLOOP_UTILIZATION,
  METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION, METRIC_SYSTEM_FILESYSTEM_UTILIZATION, METRIC_V8JS_GC_DURATION,
  METRIC_V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE, METRIC_V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE, METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE,
  METRIC_V8JS_MEMORY_HEAP_USED, METRIC_V8JS_RESOURCE_ACTIVE,
} from '../host-metrics/semconv';
import { ATTR_OUTCOME as ATTR_RATELIMIT_OUTCOME, ATTR_RATELIMIT_POLICY, METRIC_RATELIMIT_DECISIONS, METRIC_RATELIMIT_QUEUE_WAIT } from '../limits/semconv';
import {
  ATTR_NETWORK_IO_DIRECTION, ATTR_OUTCOME as ATTR_WS_OUTCOME, ATTR_REASON as ATTR_WS_REASON, ATTR_WS_CLOSE_CODE,
  ATTR_WS_LATENCY_KIND, ATTR_WS_MESSAGE_TYPE, ATTR_WS_ROLE, METRIC_WS_CONNECTIONS_ACTIVE, METRIC_WS_CONNECTIONS_CLOSED,
  METRIC_WS_CONNECTIONS_OPENED, METRIC_WS_CONNECTION_DURATION, METRIC_WS_ERRORS, METRIC_WS_MESSAGES, METRIC_WS_MESSAGE_LATENCY,
  METRIC_WS_MESSAGE_SIZE, METRIC_WS_PING_RTT, METRIC_WS_RECONNECTS,
} from '../../instrumentations/ws/semconv';
import {
  ATTR_REASON as ATTR_TELEGRAM_REASON, ATTR_RPC_METHOD, ATTR_TELEGRAM_DC, ATTR_TELEGRAM_DC_FROM, ATTR_TELEGRAM_DC_TO,
  ATTR_TELEGRAM_ERROR, ATTR_TELEGRAM_FLOOD_HANDLING, ATTR_TELEGRAM_FLOOD_KIND, ATTR_TELEGRAM_UPDATE_TYPE,
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_DC_MIGRATIONS, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_FLOOD_WAITS,
  METRIC_TELEGRAM_FLOOD_WAIT_DURATION, METRIC_TELEGRAM_RECONNECTS, METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_ERRORS,
  METRIC_TELEGRAM_SESSION_ERRORS, METRIC_TELEGRAM_UPDATES, METRIC_TELEGRAM_UPDATES_AGE,
} from '../../instrumentations/telegram/semconv';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_CLIENT_CONNECTION_STATE, METRIC_DB_CLIENT_CONNECTION_COUNT,
  METRIC_DB_CLIENT_CONNECTION_MAX, METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, METRIC_DB_CLIENT_SLOW_QUERIES,
  METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
} from '../../instrumentations/pg/semconv';
import type { KnownMetric, MetricKind } from './types';

export type { KnownMetric, MetricKind };

const WS = [ATTR_WS_ROLE];
const HTTP_SERVER = [
  ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_SCHEME, ATTR_NETWORK_PROTOCOL_NAME,
  ATTR_NETWORK_PROTOCOL_VERSION, ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT,
];
const HTTP_CLIENT = [
  ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_SCHEME,
  ATTR_NETWORK_PROTOCOL_NAME, ATTR_NETWORK_PROTOCOL_VERSION, ATTR_ERROR_TYPE,
];
const PG_OP = [
  ATTR_DB_SYSTEM_NAME, ATTR_DB_NAMESPACE, ATTR_DB_OPERATION_NAME, ATTR_DB_COLLECTION_NAME, ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_RESPONSE_STATUS_CODE, ATTR_ERROR_TYPE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT,
];
const PG_POOL = [ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_CLIENT_CONNECTION_STATE];
const HEAP_SPACE = [ATTR_V8JS_HEAP_SPACE_NAME];

/**
 * The metric catalogue, assembled from the names each area declares in its `semconv.ts` (ws,
 * telegram and pg instrumentations, limits, host metrics, the SDK core) plus the upstream http
 * (stable, from @opentelemetry/semantic-conventions) and runtime-node (0.36.1) metrics: every
 * name is written once, where the area that records it lives. Metrics written by instrumentations
 * that are not loaded simply report no data; a rule naming something close to one of these, but
 * not equal, is reported as a typo.
 */
export const KNOWN_METRICS: Readonly<Record<string, KnownMetric>> = {
  [METRIC_WS_CONNECTIONS_ACTIVE]: { kind: 'updown', attributes: WS },
  [METRIC_WS_CONNECTIONS_OPENED]: { kind: 'counter', attributes: [...WS, ATTR_WS_OUTCOME, ATTR_WS_REASON] },
  [METRIC_WS_CONNECTIONS_CLOSED]: { kind: 'counter', attributes: [...WS, ATTR_WS_CLOSE_CODE] },
  [METRIC_WS_CONNECTION_DURATION]: { kind: 'histogram', attributes: WS },
  [METRIC_WS_MESSAGES]: { kind: 'counter', attributes: [...WS, ATTR_NETWORK_IO_DIRECTION, ATTR_WS_MESSAGE_TYPE] },
  [METRIC_WS_MESSAGE_SIZE]: { kind: 'histogram', attributes: [...WS, ATTR_NETWORK_IO_DIRECTION] },
  [METRIC_WS_MESSAGE_LATENCY]: { kind: 'histogram', attributes: [...WS, ATTR_WS_LATENCY_KIND] },
  [METRIC_WS_PING_RTT]: { kind: 'histogram', attributes: WS },
  [METRIC_WS_ERRORS]: { kind: 'counter', attributes: [...WS, ATTR_ERROR_TYPE] },
  [METRIC_WS_RECONNECTS]: { kind: 'counter', attributes: [ATTR_WS_OUTCOME] },
  [METRIC_TELEGRAM_RPC_DURATION]: { kind: 'histogram', attributes: [ATTR_RPC_METHOD, ATTR_TELEGRAM_DC, ATTR_ERROR_TYPE] },
  [METRIC_TELEGRAM_FLOOD_WAITS]: { kind: 'counter', attributes: [ATTR_RPC_METHOD, ATTR_TELEGRAM_FLOOD_KIND, ATTR_TELEGRAM_FLOOD_HANDLING] },
  [METRIC_TELEGRAM_FLOOD_WAIT_DURATION]: { kind: 'histogram', attributes: [ATTR_RPC_METHOD, ATTR_TELEGRAM_FLOOD_KIND] },
  [METRIC_TELEGRAM_RPC_ERRORS]: { kind: 'counter', attributes: [ATTR_RPC_METHOD, ATTR_TELEGRAM_ERROR] },
  [METRIC_TELEGRAM_DC_MIGRATIONS]: { kind: 'counter', attributes: [ATTR_TELEGRAM_DC_FROM, ATTR_TELEGRAM_DC_TO, ATTR_TELEGRAM_REASON] },
  [METRIC_TELEGRAM_DC_RTT]: { kind: 'histogram', attributes: [ATTR_TELEGRAM_DC] },
  [METRIC_TELEGRAM_UPDATES]: { kind: 'counter', attributes: [ATTR_TELEGRAM_UPDATE_TYPE] },
  [METRIC_TELEGRAM_UPDATES_AGE]: { kind: 'gauge', attributes: [] },
  [METRIC_TELEGRAM_CONNECTION_STATE]: { kind: 'gauge', attributes: [ATTR_TELEGRAM_DC] },
  [METRIC_TELEGRAM_RECONNECTS]: { kind: 'counter', attributes: [ATTR_TELEGRAM_REASON] },
  [METRIC_TELEGRAM_SESSION_ERRORS]: { kind: 'counter', attributes: [ATTR_TELEGRAM_ERROR] },
  [METRIC_DB_CLIENT_OPERATION_DURATION]: { kind: 'histogram', attributes: PG_OP },
  [METRIC_DB_CLIENT_CONNECTION_COUNT]: { kind: 'updown', attributes: PG_POOL },
  [METRIC_DB_CLIENT_CONNECTION_MAX]: { kind: 'updown', attributes: PG_POOL },
  [METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS]: { kind: 'updown', attributes: PG_POOL },
  [METRIC_DB_CLIENT_SLOW_QUERIES]: { kind: 'counter', attributes: [ATTR_DB_OPERATION_NAME] },
  // max - used per pool (instrumentations/pg): what the spec's "min available" means; idle alone undercounts a lazily grown pool.
  [METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE]: { kind: 'gauge', attributes: [ATTR_DB_CLIENT_CONNECTION_POOL_NAME] },
  [METRIC_RATELIMIT_DECISIONS]: { kind: 'counter', attributes: [ATTR_RATELIMIT_POLICY, ATTR_RATELIMIT_OUTCOME] },
  [METRIC_RATELIMIT_QUEUE_WAIT]: { kind: 'histogram', attributes: [ATTR_RATELIMIT_POLICY] },
  [METRIC_PULSEGUARD_ALERTS_ACTIVE]: { kind: 'gauge', attributes: [ATTR_ALERTNAME, ATTR_SEVERITY] },
  [METRIC_PULSEGUARD_ALERT_NOTIFICATIONS]: { kind: 'counter', attributes: [ATTR_PULSEGUARD_CHANNEL, ATTR_PULSEGUARD_OUTCOME] },
  [METRIC_PULSEGUARD_RECOVERY_RUNS]: { kind: 'counter', attributes: [ATTR_PULSEGUARD_PROCEDURE, ATTR_PULSEGUARD_OUTCOME] },
  [METRIC_PULSEGUARD_INTERNAL_ERRORS]: { kind: 'counter', attributes: [ATTR_PULSEGUARD_COMPONENT] },
  [METRIC_PULSEGUARD_ERRORS_TRACKED]: { kind: 'counter', attributes: [ATTR_PULSEGUARD_ERROR_CLASS] },
  [METRIC_HTTP_SERVER_REQUEST_DURATION]: { kind: 'histogram', attributes: HTTP_SERVER },
  [METRIC_HTTP_CLIENT_REQUEST_DURATION]: { kind: 'histogram', attributes: HTTP_CLIENT },
  [METRIC_NODEJS_EVENTLOOP_TIME]: { kind: 'counter', attributes: [ATTR_NODEJS_EVENTLOOP_STATE] },
  [METRIC_NODEJS_EVENTLOOP_UTILIZATION]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_MIN]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_MAX]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_MEAN]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_STDDEV]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_P50]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_P90]: { kind: 'gauge', attributes: [] },
  [METRIC_NODEJS_EVENTLOOP_DELAY_P99]: { kind: 'gauge', attributes: [] },
  [METRIC_V8JS_GC_DURATION]: { kind: 'histogram', attributes: [ATTR_V8JS_GC_TYPE] },
  [METRIC_V8JS_MEMORY_HEAP_SPACE_SIZE]: { kind: 'updown', attributes: HEAP_SPACE },
  [METRIC_V8JS_MEMORY_HEAP_USED]: { kind: 'gauge', attributes: HEAP_SPACE },
  [METRIC_V8JS_MEMORY_HEAP_SPACE_AVAILABLE_SIZE]: { kind: 'gauge', attributes: HEAP_SPACE },
  [METRIC_V8JS_MEMORY_HEAP_SPACE_PHYSICAL_SIZE]: { kind: 'gauge', attributes: HEAP_SPACE },
  [METRIC_V8JS_RESOURCE_ACTIVE]: { kind: 'updown', attributes: [ATTR_V8JS_RESOURCE_TYPE] },
  [METRIC_PROCESS_CPU_TIME]: { kind: 'counter', attributes: [ATTR_CPU_MODE] },
  [METRIC_PROCESS_MEMORY_UTILIZATION]: { kind: 'gauge', attributes: [] },
  [METRIC_SYSTEM_FILESYSTEM_UTILIZATION]: { kind: 'gauge', attributes: [ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT] },
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
