import { availableParallelism } from 'node:os';
import { DEFAULT_POLICIES } from '../config/schema/default-policies';
import { defaultsAt, safeParseAt } from '../config/fast-parse';
import { configErrorMap } from '../config/issue-messages';
import { ConfigError } from '../config/validate';
import type { ConfigProblem, PulseguardConfig } from '../config/types';
import { didYouMean } from '../internal/did-you-mean';
import type { Rule, RuleInput } from '../evaluator/types';
import type { DefaultRulesOptions } from './types';
import { HEALTH_ANNOTATION, HEALTH_FIELD_ANNOTATION } from '../health/rule-judge';
import type { ComponentName } from '../health/types';
import {
  ATTR_DB_OPERATION_NAME, ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS,
  METRIC_DB_CLIENT_OPERATION_DURATION, METRIC_HTTP_CLIENT_REQUEST_DURATION, METRIC_HTTP_SERVER_REQUEST_DURATION,
} from '@opentelemetry/semantic-conventions';
import { METRIC_PULSEGUARD_ERRORS_TRACKED } from '../semconv';
import { POLICY_ERRORS_NEW_GROUP_ALERTS } from '../errors/semconv';
import {
  ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT, METRIC_PROCESS_CPU_TIME, METRIC_PROCESS_MEMORY_UTILIZATION,
  METRIC_SYSTEM_FILESYSTEM_UTILIZATION,
} from '../host-metrics/semconv';
import { ATTR_OUTCOME, ATTR_RATELIMIT_POLICY, METRIC_RATELIMIT_DECISIONS, METRIC_RATELIMIT_STORE_DEGRADED } from '../limits/semconv';
import {
  ATTR_NETWORK_IO_DIRECTION, ATTR_WS_CLOSE_CODE, ATTR_WS_ROLE, METRIC_WS_CONNECTIONS_ACTIVE, METRIC_WS_CONNECTIONS_CLOSED,
  METRIC_WS_CONNECTIONS_OPENED, METRIC_WS_ERRORS, METRIC_WS_MESSAGES, METRIC_WS_MESSAGE_LATENCY, METRIC_WS_RECONNECTS,
} from '../../instrumentations/ws/semconv';
import {
  ATTR_RPC_METHOD, ATTR_TELEGRAM_DC, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_FLOOD_WAITS, METRIC_TELEGRAM_RPC_DURATION, METRIC_TELEGRAM_RPC_LATENCY,
  METRIC_TELEGRAM_RPC_ERRORS, METRIC_TELEGRAM_SESSION_ERRORS, METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, METRIC_TELEGRAM_ACCOUNT_LIMITS,
  ATTR_TELEGRAM_METHOD_CLASS, ATTR_TELEGRAM_ERROR,
} from '../../instrumentations/telegram/semconv';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, METRIC_DB_CLIENT_CONNECTION_COUNT, METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  METRIC_DB_CLIENT_SLOW_QUERIES, METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
} from '../../instrumentations/pg/semconv';

type Thresholds = PulseguardConfig['thresholds'];

const SECONDS_TO_MS = 1000;
const PRIORITY = { critical: 'high', warning: 'medium' } as const;

function r(input: RuleInput & { summary: string }): RuleInput {
  const { summary, ...rule } = input;
  return {
    ...rule,
    labels: { area: rule.labels?.area ?? 'app', ...rule.labels },
    annotations: { summary, description: '{{alertname}} is {{value}} (threshold {{threshold}}, {{severity}})', ...rule.annotations },
  };
}

/** Tags a rule as one that decides a component endpoint's status (see src/health/rule-judge.ts). */
function health(component: ComponentName, field: string): Record<string, string> {
  return { [HEALTH_ANNOTATION]: component, [HEALTH_FIELD_ANNOTATION]: field };
}

const ACTION_SEVERITY = { escalate: 'critical', notify: 'warning', warn: 'warning' } as const;

/** The spec's alertConfig rows as rules: more than `threshold` in `period`. */
function alertConfigRules(t: Thresholds): RuleInput[] {
  const row = (x: Thresholds['alertConfig']['connections']) => {
    const sev = ACTION_SEVERITY[x.action];
    return { [sev]: x.threshold, labels: { area: 'app', priority: x.action === 'warn' ? 'low' : PRIORITY[sev], action: x.action } };
  };
  const c = t.alertConfig;
  return [
    r({ name: 'ConnectionDropsHigh', summary: 'Abnormal WebSocket disconnects in {{labels.action}} window', metric: METRIC_WS_CONNECTIONS_CLOSED, statistic: 'increase',
      filter: { [ATTR_WS_CLOSE_CODE]: '!~1000|1001' }, window: c.connections.period, ...row(c.connections), annotations: health('websocket', 'abnormalCloses') }),
    r({ name: 'ErrorsHigh', summary: 'Application errors above the alertConfig threshold', metric: METRIC_PULSEGUARD_ERRORS_TRACKED, statistic: 'increase',
      window: c.errors.period, ...row(c.errors) }),
    r({ name: 'PerformanceDegraded', summary: 'API p95 above {{threshold}} ms', metric: METRIC_HTTP_SERVER_REQUEST_DURATION, statistic: 'p95', scale: SECONDS_TO_MS,
      window: c.performance.period, ...row(c.performance) }),
  ];
}

/** The WebSocket caps the connection rules compare with (from `rateLimits`, the caps' one home). */
export interface WsCaps {
  /** rateLimits.websocketConnections.total */
  total: number;
  /** rateLimits.policies['websocket.newConnections'] per minute. */
  newPerMinute: number;
}

/** The caps of `rateLimits`: the configured connection total and new-connection policy (the schema's when lifted). */
export function wsCapsOf(rateLimits: PulseguardConfig['rateLimits']): WsCaps {
  const conf = rateLimits.policies['websocket.newConnections'];
  const p = conf === undefined || conf === false ? DEFAULT_POLICIES['websocket.newConnections'] : conf;
  return { total: rateLimits.websocketConnections.total, newPerMinute: Math.round((p.points * 60_000) / p.durationMs) };
}

const DEFAULT_WS_CAPS: WsCaps = wsCapsOf(defaultsAt<PulseguardConfig['rateLimits']>('config', ['rateLimits']));

/**
 * The specification's thresholds as rules, built from the resolved `config.thresholds`, so that
 * overriding one number in the configuration changes the rule. See docs/rules.md for the table.
 */
export function specRules(t: Thresholds, cpuCount = availableParallelism(), wsCaps: WsCaps = DEFAULT_WS_CAPS): RuleInput[] {
  const ws = t.websocket;
  const tg = t.telegram;
  return [
    r({ name: 'WebSocketMessageLatencyHigh', summary: 'WebSocket message latency p95 {{value}} ms ({{labels.ws.role}})', metric: METRIC_WS_MESSAGE_LATENCY, statistic: 'p95',
      scale: SECONDS_TO_MS, groupBy: [ATTR_WS_ROLE], warning: ws.messageLatency.warning, critical: ws.messageLatency.critical, window: '5m', for: '1m', labels: { area: 'websocket' } }),
    r({ name: 'WebSocketMessageRateHigh', summary: 'WebSocket messages in {{value}}/s', metric: METRIC_WS_MESSAGES, statistic: 'rate',
      filter: { [ATTR_NETWORK_IO_DIRECTION]: 'receive' }, warning: ws.messageRate.warning, critical: ws.messageRate.max, window: '1m', labels: { area: 'websocket' } }),
    r({ name: 'WebSocketErrorRateHigh', summary: 'WebSocket errors per message {{value}}', metric: METRIC_WS_ERRORS, statistic: 'ratio', denominator: METRIC_WS_MESSAGES,
      warning: ws.errorRate.warning, critical: ws.errorRate.critical, window: '5m', for: '1m', labels: { area: 'websocket' }, annotations: health('websocket', 'errorRate') }),
    r({ name: 'WebSocketReconnectRateHigh', summary: 'WebSocket reconnects per client {{value}}', metric: METRIC_WS_RECONNECTS, statistic: 'ratio',
      denominator: METRIC_WS_CONNECTIONS_ACTIVE, warning: ws.reconnectRate.warning, critical: ws.reconnectRate.critical, window: '5m', labels: { area: 'websocket' } }),
    r({ name: 'WebSocketDisconnectRateHigh', summary: 'WebSocket disconnects per client {{value}}', metric: METRIC_WS_CONNECTIONS_CLOSED, statistic: 'ratio',
      denominator: METRIC_WS_CONNECTIONS_ACTIVE, warning: t.websocketErrors.disconnectRate, window: '5m', labels: { area: 'websocket' } }),
    r({ name: 'WebSocketConnectionsAtLimit', summary: '{{value}} WebSocket connections', metric: METRIC_WS_CONNECTIONS_ACTIVE, statistic: 'last',
      filter: { [ATTR_WS_ROLE]: 'server' }, comparison: '>=', warning: Math.floor(wsCaps.total * 0.9), critical: wsCaps.total, labels: { area: 'websocket' } }),
    r({ name: 'WebSocketConnectionRateHigh', summary: '{{value}} new WebSocket connections per minute', metric: METRIC_WS_CONNECTIONS_OPENED, statistic: 'increase',
      filter: { [ATTR_WS_ROLE]: 'server' }, window: '1m', critical: wsCaps.newPerMinute, labels: { area: 'websocket' } }),
    // On telegram.rpc.latency, not .duration: a flood wait GramJS slept is not a slow Telegram (one
    // FLOOD_WAIT_3 in a quiet window made /health/telegram 503 for five minutes).
    r({ name: 'TelegramRpcLatencyHigh', summary: 'Telegram {{labels.rpc.method}} p95 {{value}} ms', metric: METRIC_TELEGRAM_RPC_LATENCY, statistic: 'p95', scale: SECONDS_TO_MS,
      groupBy: [ATTR_RPC_METHOD], warning: tg.messageLatency.warning, critical: tg.messageLatency.critical, window: '5m', for: '1m', labels: { area: 'telegram' },
      annotations: health('telegram', 'messageLatency') }),
    // The spec's telegram_flood_wait and its Telegram flood-wait levels are one rule with two levels
    // (two rules on one expression alerted twice for every flood storm).
    r({ name: 'TelegramFloodWaitsHigh', summary: '{{value}} flood waits in the last hour (spec telegram_flood_wait)', metric: METRIC_TELEGRAM_FLOOD_WAITS, statistic: 'increase',
      warning: tg.floodWait.warning, critical: tg.floodWait.critical, window: '1h', labels: { area: 'telegram' }, annotations: health('telegram', 'floodWait') }),
    r({ name: 'TelegramDcLatencyHigh', summary: 'Telegram DC {{labels.telegram.dc}} round trip {{value}} ms', metric: METRIC_TELEGRAM_DC_RTT, statistic: 'p95', scale: SECONDS_TO_MS,
      groupBy: [ATTR_TELEGRAM_DC], warning: tg.dcLatency.warning, critical: tg.dcLatency.critical, window: '5m', labels: { area: 'telegram' }, annotations: health('telegram', 'dcLatency') }),
    r({ name: 'TelegramAuthFailuresHigh', summary: 'Telegram session errors per RPC {{value}}', metric: METRIC_TELEGRAM_SESSION_ERRORS, statistic: 'ratio',
      denominator: METRIC_TELEGRAM_RPC_DURATION, warning: tg.authFailure, window: '15m', labels: { area: 'telegram' } }),
    r({ name: 'TelegramMessageFailuresHigh', summary: 'Telegram SendMessage failures {{value}}', metric: METRIC_TELEGRAM_RPC_ERRORS, statistic: 'ratio',
      filter: { [ATTR_RPC_METHOD]: 'messages.SendMessage' }, denominator: METRIC_TELEGRAM_RPC_DURATION, denominatorFilter: { [ATTR_RPC_METHOD]: 'messages.SendMessage' },
      warning: tg.messageFailure, window: '15m', labels: { area: 'telegram' } }),
    // GramJS's invoke has no timeout: a call stuck on a dead connection (-404, a silent drop) only shows here.
    r({ name: 'TelegramRpcStuck', summary: 'A Telegram {{labels.telegram.method.class}} call has waited {{value}} s', metric: METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE,
      statistic: 'last', groupBy: [ATTR_TELEGRAM_METHOD_CLASS], warning: tg.stuckCall.warning, critical: tg.stuckCall.critical, labels: { area: 'telegram' } }),
    // PEER_FLOOD and FROZEN_*: Telegram limits the account itself; retrying or reconnecting cannot help.
    r({ name: 'TelegramPeerFlood', summary: '{{value}} PEER_FLOOD errors in the last hour: Telegram limits this account', metric: METRIC_TELEGRAM_ACCOUNT_LIMITS,
      statistic: 'increase', filter: { [ATTR_TELEGRAM_ERROR]: 'PEER_FLOOD' }, warning: 0, window: '1h', labels: { area: 'telegram' } }),
    r({ name: 'TelegramAccountFrozen', summary: 'Telegram answers FROZEN_* errors: the account is frozen', metric: METRIC_TELEGRAM_ACCOUNT_LIMITS,
      statistic: 'increase', filter: { [ATTR_TELEGRAM_ERROR]: '=~FROZEN_.*' }, critical: 0, window: '1h', labels: { area: 'telegram' } }),
    // Not the new-error-group alert policy: its held-back alerts are announced by the next NewErrorGroup alert, not requests refused.
    r({ name: 'HighThrottleRate', summary: '{{labels.ratelimit.policy}}: {{value}} of requests throttled (spec high_throttle_rate)', metric: METRIC_RATELIMIT_DECISIONS, statistic: 'ratio',
      filter: { [ATTR_OUTCOME]: 'throttled', [ATTR_RATELIMIT_POLICY]: `!=${POLICY_ERRORS_NEW_GROUP_ALERTS}` }, denominator: METRIC_RATELIMIT_DECISIONS,
      denominatorFilter: { [ATTR_RATELIMIT_POLICY]: `!=${POLICY_ERRORS_NEW_GROUP_ALERTS}` }, groupBy: [ATTR_RATELIMIT_POLICY], warning: t.rateLimits.throttledRatio, window: '5m', labels: { area: 'ratelimit' },
      annotations: health('rate-limits', 'throttledRatio') }),
    // A state, not a threshold: for a minute the shared store failed or hung and decisions were answered in-process.
    r({ name: 'RateLimitStoreDegraded', summary: 'Rate-limit store (Redis) degraded: decisions answered in-process or by onStoreError', metric: METRIC_RATELIMIT_STORE_DEGRADED,
      statistic: 'last', warning: 0, for: '1m', labels: { area: 'ratelimit' } }),
    r({ name: 'ApiLatencyP95High', summary: 'API p95 {{value}} ms', metric: METRIC_HTTP_SERVER_REQUEST_DURATION, statistic: 'p95', scale: SECONDS_TO_MS,
      warning: t.api.p95, window: '5m', for: '2m', labels: { area: 'api' } }),
    r({ name: 'ApiLatencyP99High', summary: 'API p99 {{value}} ms', metric: METRIC_HTTP_SERVER_REQUEST_DURATION, statistic: 'p99', scale: SECONDS_TO_MS,
      warning: t.api.p99, window: '5m', for: '2m', labels: { area: 'api' } }),
    r({ name: 'ApiLatencyMaxHigh', summary: 'An API request took {{value}} ms', metric: METRIC_HTTP_SERVER_REQUEST_DURATION, statistic: 'max', scale: SECONDS_TO_MS,
      critical: t.api.max, window: '5m', labels: { area: 'api' } }),
    r({ name: 'ApiErrorRateHigh', summary: 'API 5xx share {{value}}', metric: METRIC_HTTP_SERVER_REQUEST_DURATION, statistic: 'ratio', filter: { [ATTR_HTTP_RESPONSE_STATUS_CODE]: '=~5..' },
      denominator: METRIC_HTTP_SERVER_REQUEST_DURATION, warning: t.api.errorRate.warning, critical: t.api.errorRate.critical, window: '5m', for: '1m', labels: { area: 'api' } }),
    r({ name: 'DependencyLatencyHigh', summary: 'Calls to {{labels.server.address}} p95 {{value}} ms', metric: METRIC_HTTP_CLIENT_REQUEST_DURATION, statistic: 'p95', scale: SECONDS_TO_MS,
      groupBy: [ATTR_SERVER_ADDRESS], warning: t.connection.responseTime.warning, critical: t.connection.responseTime.critical, window: '5m', labels: { area: 'dependency' } }),
    r({ name: 'DependencyErrorRateHigh', summary: 'Calls to {{labels.server.address}} failing: {{value}}', metric: METRIC_HTTP_CLIENT_REQUEST_DURATION, statistic: 'ratio',
      filter: { [ATTR_ERROR_TYPE]: '=~.+' }, denominator: METRIC_HTTP_CLIENT_REQUEST_DURATION, groupBy: [ATTR_SERVER_ADDRESS],
      warning: t.connection.errorRate.warning, critical: t.connection.errorRate.critical, window: '5m', labels: { area: 'dependency' } }),
    r({ name: 'DbQuerySlow', summary: 'DB {{labels.db.operation.name}} p95 {{value}} ms', metric: METRIC_DB_CLIENT_OPERATION_DURATION, statistic: 'p95', scale: SECONDS_TO_MS,
      groupBy: [ATTR_DB_OPERATION_NAME], warning: t.database.queryTime, window: '5m', for: '1m', labels: { area: 'database' } }),
    // Transactions are timed BEGIN to COMMIT/ROLLBACK by instrumentations/pg and counted as slow above transactionTime.
    r({ name: 'DbTransactionSlow', summary: '{{value}} transactions slower than ' + `${t.database.transactionTime} ms in 5 minutes`, metric: METRIC_DB_CLIENT_SLOW_QUERIES, statistic: 'increase',
      filter: { [ATTR_DB_OPERATION_NAME]: 'TRANSACTION' }, warning: 0, window: '5m', labels: { area: 'database' } }),
    r({ name: 'DbPoolExhausted', summary: 'DB pool {{labels.db.client.connection.pool.name}} has {{value}} connections', metric: METRIC_DB_CLIENT_CONNECTION_COUNT, statistic: 'last',
      groupBy: [ATTR_DB_CLIENT_CONNECTION_POOL_NAME], comparison: '>=', warning: t.pools.database.maxSize, labels: { area: 'database' } }),
    r({ name: 'DbPoolAvailableLow', summary: 'DB pool {{labels.db.client.connection.pool.name}}: {{value}} connections available', metric: METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE, statistic: 'last',
      groupBy: [ATTR_DB_CLIENT_CONNECTION_POOL_NAME], comparison: '<', warning: t.pools.database.minAvailable, for: '1m', labels: { area: 'database' } }),
    r({ name: 'DbPoolWaitingHigh', summary: 'DB pool {{labels.db.client.connection.pool.name}}: {{value}} clients waiting', metric: METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, statistic: 'last',
      groupBy: [ATTR_DB_CLIENT_CONNECTION_POOL_NAME], critical: t.pools.database.maxWaitingClients, for: '30s', labels: { area: 'database' } }),
    r({ name: 'MemoryHigh', summary: 'Memory {{value}} of the limit', metric: METRIC_PROCESS_MEMORY_UTILIZATION, statistic: 'last',
      warning: t.resources.memory.warning, critical: t.resources.memory.critical, for: '2m', labels: { area: 'resources' } }),
    r({ name: 'CpuHigh', summary: 'CPU {{value}} of {{labels.cpus}} cores', metric: METRIC_PROCESS_CPU_TIME, statistic: 'rate', scale: 1 / cpuCount,
      warning: t.resources.cpu.warning, critical: t.resources.cpu.critical, window: '5m', for: '2m', labels: { area: 'resources', cpus: String(cpuCount) } }),
    r({ name: 'StorageHigh', summary: 'Filesystem of {{labels.system.filesystem.mountpoint}} {{value}} used', metric: METRIC_SYSTEM_FILESYSTEM_UTILIZATION, statistic: 'last',
      groupBy: [ATTR_SYSTEM_FILESYSTEM_MOUNTPOINT], warning: t.resources.storage.warning, critical: t.resources.storage.critical, for: '5m', labels: { area: 'resources' } }),
    ...alertConfigRules(t),
  ];
}

function parseRules(inputs: readonly RuleInput[], path: string, problems: ConfigProblem[]): Rule[] {
  const out: Rule[] = [];
  inputs.forEach((input, i) => {
    const res = safeParseAt<Rule>('rule', input, [], { errorMap: configErrorMap });
    if (res.success) out.push(res.data);
    else for (const issue of res.error.issues) problems.push({ path: `${path}[${i}].${issue.path.join('.')}`, message: issue.message });
  });
  return out;
}

/**
 * The effective rules: the spec pack (unless `rules.defaults` is false) plus `extraRules` from
 * other areas, minus `rules.disable`, with `rules.custom` added or replacing by name. A disable
 * entry that names no rule is a problem (with "did you mean").
 */
export function buildDefaultRules(config: PulseguardConfig, options: DefaultRulesOptions = {}): Rule[] {
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, Rule>();
  const base = config.rules.defaults ? parseRules(specRules(config.thresholds, options.cpuCount, wsCapsOf(config.rateLimits)), 'defaults', problems) : [];
  for (const rule of [...base, ...parseRules(options.extraRules ?? [], 'extraRules', problems)]) byName.set(rule.name, rule);
  for (const rule of config.rules.custom) byName.set(rule.name, rule);
  config.rules.disable.forEach((name, i) => {
    if (byName.delete(name)) return;
    const hint = didYouMean(name, byName.keys());
    problems.push({ path: `rules.disable[${i}]`, message: `no rule named "${name}"${hint ? `; did you mean "${hint}"?` : ''}` });
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return [...byName.values()];
}
