import type { PanelQuery, RowSpec } from './types';
import { prometheusMetricName } from '../prometheus/prometheus-names';
import { METRIC_DB_CLIENT_CONNECTION_COUNT } from '../../instrumentations/pg/semconv';

/** Every panel query filters on the dashboard's service (job) and instance variables. */
export const INSTANCE_FILTER = 'job=~"$job", instance=~"$instance"';

/** `metric{job=~"$job", instance=~"$instance", extra}`. */
export function sel(metric: string, extra = ''): string {
  return `${metric}{${INSTANCE_FILTER}${extra ? `, ${extra}` : ''}}`;
}

const RI = '$__rate_interval';
const q = (expr: string, legend: string): PanelQuery => ({ expr, legend });
const p = (quantile: number, metric: string, by: string, extra = ''): string =>
  `histogram_quantile(${quantile}, sum by (le, ${by}) (rate(${sel(`${metric}_bucket`, extra)}[${RI}])))`;
const ratio = (num: string, den: string, by: string): string =>
  `sum by (${by}) (increase(${num}[5m])) / sum by (${by}) (increase(${den}[5m]))`;

/**
 * The dashboard's rows, one per area, with the Prometheus names exporters/prometheus writes.
 * `rule` names the built-in rule whose levels draw the panel's threshold lines.
 */
export const ROWS: readonly RowSpec[] = [
  {
    title: 'WebSocket',
    panels: [
      { title: 'Active server connections', unit: 'short', rule: 'WebSocketConnectionsAtLimit',
        queries: [q(`sum by (instance) (${sel('websocket_connections_active', 'ws_role="server"')})`, '{{instance}}')] },
      { title: 'Messages received per second', unit: 'reqps', rule: 'WebSocketMessageRateHigh',
        queries: [q(`sum by (instance) (rate(${sel('websocket_messages_total', 'network_io_direction="receive"')}[${RI}]))`, '{{instance}}')] },
      { title: 'Message latency p95', unit: 'ms', scale: 1000, rule: 'WebSocketMessageLatencyHigh',
        queries: [q(`${p(0.95, 'websocket_message_latency', 'instance, ws_role')} * 1000`, '{{instance}} {{ws_role}}')] },
      { title: 'Errors per message', unit: 'percentunit', rule: 'WebSocketErrorRateHigh',
        queries: [q(ratio(sel('websocket_errors_total'), sel('websocket_messages_total'), 'instance'), '{{instance}}')] },
    ],
  },
  {
    title: 'Telegram',
    panels: [
      { title: 'RPC latency p95', unit: 'ms', scale: 1000, rule: 'TelegramRpcLatencyHigh',
        queries: [q(`${p(0.95, 'telegram_rpc_duration', 'instance, rpc_method')} * 1000`, '{{instance}} {{rpc_method}}')] },
      { title: 'Flood waits in the last hour', unit: 'short', rule: 'TelegramFloodWaitsHigh',
        queries: [q(`sum by (instance) (increase(${sel('telegram_flood_waits_total')}[1h]))`, '{{instance}}')] },
      { title: 'DC round trip p95', unit: 'ms', scale: 1000, rule: 'TelegramDcLatencyHigh',
        queries: [q(`${p(0.95, 'telegram_dc_rtt', 'instance, telegram_dc')} * 1000`, '{{instance}} DC {{telegram_dc}}')] },
      { title: 'RPC errors per second', unit: 'reqps',
        queries: [q(`sum by (instance, telegram_error) (rate(${sel('telegram_rpc_errors_total')}[${RI}]))`, '{{instance}} {{telegram_error}}')] },
    ],
  },
  {
    title: 'Database',
    panels: [
      { title: 'Query latency p95', unit: 'ms', scale: 1000, rule: 'DbQuerySlow',
        queries: [q(`${p(0.95, 'db_client_operation_duration', 'instance, db_operation_name')} * 1000`, '{{instance}} {{db_operation_name}}')] },
      { title: 'Pool connections', unit: 'short', rule: 'DbPoolExhausted',
        queries: [q(`sum by (instance, db_client_connection_pool_name) (${sel(prometheusMetricName(METRIC_DB_CLIENT_CONNECTION_COUNT, 'gauge'))})`, '{{instance}} {{db_client_connection_pool_name}}')] },
      { title: 'Pool connections available', unit: 'short', rule: 'DbPoolAvailableLow',
        queries: [q(`sum by (instance, db_client_connection_pool_name) (${sel('pulseguard_db_connection_available')})`, '{{instance}} {{db_client_connection_pool_name}}')] },
      { title: 'Clients waiting for a connection', unit: 'short', rule: 'DbPoolWaitingHigh',
        queries: [q(`sum by (instance, db_client_connection_pool_name) (${sel('db_client_connection_pending_requests')})`, '{{instance}} {{db_client_connection_pool_name}}')] },
    ],
  },
  {
    title: 'HTTP',
    panels: [
      { title: 'API latency p95', unit: 'ms', scale: 1000, rule: 'ApiLatencyP95High',
        queries: [q(`${p(0.95, 'http_server_request_duration', 'instance')} * 1000`, '{{instance}} p95')] },
      { title: 'API latency p99', unit: 'ms', scale: 1000, rule: 'ApiLatencyP99High',
        queries: [q(`${p(0.99, 'http_server_request_duration', 'instance')} * 1000`, '{{instance}} p99')] },
      { title: 'Requests per second', unit: 'reqps',
        queries: [q(`sum by (instance) (rate(${sel('http_server_request_duration_count')}[${RI}]))`, '{{instance}}')] },
      { title: 'API 5xx share', unit: 'percentunit', rule: 'ApiErrorRateHigh',
        queries: [q(ratio(sel('http_server_request_duration_count', 'http_response_status_code=~"5.."'), sel('http_server_request_duration_count'), 'instance'), '{{instance}}')] },
      { title: 'Dependency latency p95', unit: 'ms', scale: 1000, rule: 'DependencyLatencyHigh',
        queries: [q(`${p(0.95, 'http_client_request_duration', 'instance, server_address')} * 1000`, '{{instance}} {{server_address}}')] },
    ],
  },
  {
    title: 'Rate limits',
    panels: [
      { title: 'Decisions per second', unit: 'reqps',
        queries: [q(`sum by (instance, ratelimit_policy, outcome) (rate(${sel('ratelimit_decisions_total')}[${RI}]))`, '{{instance}} {{ratelimit_policy}} {{outcome}}')] },
      { title: 'Throttled share', unit: 'percentunit', rule: 'HighThrottleRate',
        queries: [q(ratio(sel('ratelimit_decisions_total', 'outcome="throttled"'), sel('ratelimit_decisions_total'), 'instance, ratelimit_policy'), '{{instance}} {{ratelimit_policy}}')] },
      { title: 'Queue wait p95', unit: 's',
        queries: [q(p(0.95, 'ratelimit_queue_wait', 'instance, ratelimit_policy'), '{{instance}} {{ratelimit_policy}}')] },
    ],
  },
  {
    title: 'Runtime',
    panels: [
      { title: 'Memory of the limit', unit: 'percentunit', rule: 'MemoryHigh',
        queries: [q(`max by (instance) (${sel('process_memory_utilization')})`, '{{instance}}')] },
      { title: 'CPU of all cores', unit: 'percentunit', scale: 'rule', rule: 'CpuHigh',
        queries: [q(`sum by (instance) (rate(${sel('process_cpu_time_total')}[${RI}])) * SCALE`, '{{instance}}')] },
      { title: 'Event loop utilization', unit: 'percentunit',
        queries: [q(`max by (instance) (${sel('nodejs_eventloop_utilization')})`, '{{instance}}')] },
      { title: 'Event loop delay p99', unit: 's',
        queries: [q(`max by (instance) (${sel('nodejs_eventloop_delay_p99')})`, '{{instance}}')] },
      { title: 'Heap used', unit: 'bytes',
        queries: [q(`sum by (instance) (${sel('v8js_memory_heap_used')})`, '{{instance}}')] },
      { title: 'Filesystem used', unit: 'percentunit', rule: 'StorageHigh',
        queries: [q(`max by (instance, system_filesystem_mountpoint) (${sel('system_filesystem_utilization')})`, '{{instance}} {{system_filesystem_mountpoint}}')] },
    ],
  },
  {
    title: 'Alerts',
    panels: [
      { title: 'Active alerts', unit: 'short',
        queries: [q(`sum by (instance, alertname, severity) (${sel('pulseguard_alerts_active')})`, '{{instance}} {{alertname}} {{severity}}')] },
      { title: 'Notifications per second', unit: 'reqps',
        queries: [q(`sum by (instance, channel, outcome) (rate(${sel('pulseguard_alert_notifications_total')}[${RI}]))`, '{{instance}} {{channel}} {{outcome}}')] },
      { title: 'Internal errors per second', unit: 'reqps',
        queries: [q(`sum by (instance, component) (rate(${sel('pulseguard_internal_errors_total')}[${RI}]))`, '{{instance}} {{component}}')] },
    ],
  },
];
