import type { RuleInput } from '../../src/config/index';
import {
  ATTR_DB_CLIENT_CONNECTION_POOL_NAME, ATTR_DB_OPERATION_NAME, DB_OPERATION_NAME_VALUE_TRANSACTION,
  METRIC_DB_CLIENT_CONNECTION_MAX, METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS, METRIC_DB_CLIENT_OPERATION_DURATION,
  METRIC_DB_CLIENT_SLOW_QUERIES, METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
} from './semconv';

/** The thresholds the built-in database rules are made from (config `thresholds.database` and `thresholds.pools.database`). */
export interface PgRuleThresholds {
  /** Slow query threshold, ms. @default 100 */
  queryTime: number;
  /** Slow transaction threshold, ms. @default 500 */
  transactionTime: number;
  /** Largest pool size the spec allows. @default 20 */
  maxSize: number;
  /** Fewest connections a pool should have available. @default 2 */
  minAvailable: number;
  /** Most callers that should wait for a connection. @default 10 */
  maxWaitingClients: number;
}

/** The spec's numbers. */
export const DEFAULT_PG_RULE_THRESHOLDS: PgRuleThresholds = {
  queryTime: 100, transactionTime: 500, maxSize: 20, minAvailable: 2, maxWaitingClients: 10,
};

const byPool = [ATTR_DB_CLIENT_CONNECTION_POOL_NAME];
const labels = { component: 'database' };

/**
 * The built-in database rules, as plain data in the `ruleSchema` shape (src/config/schema/rules.ts)
 * so the evaluator and the Prometheus rule-file generator load them like user rules.
 */
export function createPgRules(t: PgRuleThresholds = DEFAULT_PG_RULE_THRESHOLDS): RuleInput[] {
  return [
    {
      name: 'DatabasePoolSizeAboveMax',
      metric: METRIC_DB_CLIENT_CONNECTION_MAX,
      statistic: 'last',
      warning: t.maxSize,
      window: '5m',
      groupBy: byPool,
      labels,
      annotations: {
        summary: 'Database pool {{ $labels["db.client.connection.pool.name"] }} allows {{ $value }} connections',
        description: `Pools should not be configured above ${t.maxSize} connections.`,
      },
    },
    {
      name: 'DatabasePoolLowAvailability',
      metric: METRIC_PULSEGUARD_DB_CONNECTION_AVAILABLE,
      statistic: 'last',
      comparison: '<',
      warning: t.minAvailable,
      critical: 1,
      window: '1m',
      for: '1m',
      groupBy: byPool,
      labels,
      annotations: {
        summary: 'Database pool {{ $labels["db.client.connection.pool.name"] }} has {{ $value }} connections available',
        description: `Fewer than ${t.minAvailable} connections can be handed out without waiting.`,
      },
    },
    {
      name: 'DatabasePoolWaitingClients',
      metric: METRIC_DB_CLIENT_CONNECTION_PENDING_REQUESTS,
      statistic: 'last',
      warning: t.maxWaitingClients,
      window: '1m',
      for: '30s',
      groupBy: byPool,
      labels,
      annotations: {
        summary: '{{ $value }} callers wait for a connection of {{ $labels["db.client.connection.pool.name"] }}',
        description: `More than ${t.maxWaitingClients} callers are waiting for a database connection.`,
      },
    },
    {
      name: 'DatabaseQueryLatencyHigh',
      metric: METRIC_DB_CLIENT_OPERATION_DURATION,
      statistic: 'p95',
      scale: 1000,
      warning: t.queryTime,
      window: '5m',
      for: '5m',
      labels,
      annotations: {
        summary: 'Database query p95 is {{ $value }} ms',
        description: `Most queries should complete within ${t.queryTime} ms.`,
      },
    },
    {
      name: 'DatabaseSlowTransactions',
      metric: METRIC_DB_CLIENT_SLOW_QUERIES,
      statistic: 'increase',
      filter: { [ATTR_DB_OPERATION_NAME]: DB_OPERATION_NAME_VALUE_TRANSACTION },
      warning: 0,
      window: '5m',
      labels,
      annotations: {
        summary: '{{ $value }} database transactions took longer than ' + `${t.transactionTime} ms in 5 minutes`,
        description: `Transactions should complete within ${t.transactionTime} ms (BEGIN to COMMIT/ROLLBACK).`,
      },
    },
  ];
}
