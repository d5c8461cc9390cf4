import { z } from 'zod/v3';
import { levels, ratio, removed, section } from './common';

const ALERT_PERIOD_RE = /^(\d+)(s|m|h)$/;
const alertRow = (threshold: number, period: string, action: 'notify' | 'escalate' | 'warn') =>
  section({
    threshold: z.number().finite().nonnegative().default(threshold),
    period: z.string().regex(ALERT_PERIOD_RE, 'expected a period like "30s", "5m" or "1h"').default(period),
    action: z.enum(['notify', 'escalate', 'warn']).default(action),
  });

/**
 * The specification's thresholds, as the built-in defaults. Latencies are in milliseconds and
 * rates are ratios (0.05 = 5%), exactly as the specification writes them.
 */
export const thresholdsSchema = () => section({
  websocket: section({
    /** Message latency, ms. @default { warning: 100, critical: 500 } */
    messageLatency: levels(100, 500),
    /** Messages per second. @default { warning: 80, max: 100 } */
    messageRate: section({ warning: z.number().finite().positive().default(80), max: z.number().finite().positive().default(100) }),
    /** Message error ratio. @default { warning: 0.01, critical: 0.05 } */
    errorRate: levels(0.01, 0.05),
    /** Reconnects as a ratio of clients. @default { warning: 0.1, critical: 0.3 } */
    reconnectRate: levels(0.1, 0.3),
    /**
     * Removed: connection stability no longer decides a status (one abrupt drop out of one
     * connection read as stability 0); the rule ConnectionDropsHigh judges abnormal drops.
     */
    stability: removed('the rule ConnectionDropsHigh judges abnormal WebSocket drops: set thresholds.alertConfig.connections (threshold, period) instead'),
    /** Reconnection should complete within, ms. @default 1000 */
    reconnectTime: z.number().finite().positive().default(1000),
  }),
  telegram: section({
    /** RPC latency, ms. @default { warning: 500, critical: 2000 } */
    messageLatency: levels(500, 2000),
    /** Flood waits per hour. @default { warning: 5, critical: 20 } */
    floodWait: levels(5, 20),
    /** DC round trip, ms. @default { warning: 1000, critical: 3000 } */
    dcLatency: levels(1000, 3000),
    /** Auth failure ratio warning. @default 0.1 */
    authFailure: ratio().default(0.1),
    /** Message failure ratio warning. @default 0.05 */
    messageFailure: ratio().default(0.05),
    /** Age of the oldest outstanding RPC call, seconds (GramJS's invoke has no timeout). @default { warning: 60, critical: 300 } */
    stuckCall: levels(60, 300),
  }),
  api: section({
    /** p95 response time, ms. @default 500 */
    p95: z.number().finite().positive().default(500),
    /** p99 response time, ms. @default 1000 */
    p99: z.number().finite().positive().default(1000),
    /** No request should take longer, ms. @default 2000 */
    max: z.number().finite().positive().default(2000),
    /** HTTP 5xx ratio. @default { warning: 0.01, critical: 0.05 } */
    errorRate: levels(0.01, 0.05),
  }),
  database: section({
    /** Slow query threshold, ms. @default 100 */
    queryTime: z.number().finite().positive().default(100),
    /** Slow transaction threshold (BEGIN to COMMIT/ROLLBACK), ms. @default 500 */
    transactionTime: z.number().finite().positive().default(500),
  }),
  resources: section({
    /** Memory utilization ratio. @default { warning: 0.7, critical: 0.85 } */
    memory: levels(0.7, 0.85),
    /** CPU utilization ratio. @default { warning: 0.6, critical: 0.8 } */
    cpu: levels(0.6, 0.8),
    /** Filesystem utilization ratio. @default { warning: 0.8, critical: 0.9 } */
    storage: levels(0.8, 0.9),
    /** Paths whose filesystem utilization is measured. @default ["/"] */
    storagePaths: z.array(z.string().min(1)).default(['/']),
  }),
  websocketErrors: section({
    /** Disconnect ratio warning. @default 0.1 */
    disconnectRate: ratio().default(0.1),
    /** Message error ratio warning. @default 0.05 */
    errorRate: ratio().default(0.05),
  }),
  pools: section({
    database: section({
      /** @default 20 */ maxSize: z.number().int().positive().default(20),
      /** @default 2 */ minAvailable: z.number().int().nonnegative().default(2),
      /** @default 10 */ maxWaitingClients: z.number().int().nonnegative().default(10),
    }),
    /**
     * Removed: the WebSocket caps have one home, the rate limiter's configuration, which both the
     * guards and the default rules read.
     */
    websocket: removed("set rateLimits.websocketConnections.perUser / .total and rateLimits.policies['websocket.newConnections'] instead"),
  }),
  connection: section({
    /** Dependency response time, ms. @default { warning: 1000, critical: 5000 } */
    responseTime: levels(1000, 5000),
    /** Dependency error ratio. @default { warning: 0.05, critical: 0.15 } */
    errorRate: levels(0.05, 0.15),
  }),
  /**
   * The specification's `alertConfig` rows: more than `threshold` events in `period` raise an
   * alert; `action` picks the severity (escalate = critical, notify = warning, warn = warning
   * with priority "low").
   */
  alertConfig: section({
    /** Abnormal WebSocket disconnects. @default { threshold: 5, period: "5m", action: "notify" } */
    connections: alertRow(5, '5m', 'notify'),
    /** Tracked application errors. @default { threshold: 10, period: "1m", action: "escalate" } */
    errors: alertRow(10, '1m', 'escalate'),
    /** API p95 response time in ms. @default { threshold: 1000, period: "1m", action: "warn" } */
    performance: alertRow(1000, '1m', 'warn'),
  }),
  rateLimits: section({
    /** Throttled share of requests that raises high_throttle_rate. @default 0.1 */
    throttledRatio: ratio().default(0.1),
  }),
});
