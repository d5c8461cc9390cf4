import { z } from 'zod/v3';
import { durationMs, refineWith, section } from './common';

/** One rate-limit policy: `points` per `durationMs`, optionally a max size per item. */
export const policySchema = () => z
  .object({
    points: z.number().int().positive(),
    durationMs: durationMs(1),
    /** Max size of one item in bytes (uploads, messages). */
    maxSizeBytes: z.number().int().positive().optional(),
    /** Reject (inbound) or queue (outbound) when over the limit. @default "reject" */
    mode: z.enum(['reject', 'queue']).default('reject'),
    /** Queue mode: callers waiting per key beyond this are throttled. @default 1000 */
    maxQueueSize: z.number().int().positive().default(1000),
    /**
     * When the shared store fails: "allow" (fail open: the insurance limiter answers when enabled,
     * else allowed) or "deny" (fail closed: denied, never a fresh in-process allowance). Unset: the
     * section's `onStoreError`. @default "deny" for api.auth, else unset
     */
    onStoreError: z.enum(['allow', 'deny']).optional(),
  })
  .strict();

export const rateLimitsSchema = () => section({
  /** Where counters live: memory (one process) or redis (a fleet). @default "memory" */
  store: z.enum(['memory', 'redis']).default('memory'),
  /** Redis connection when store is "redis". @default "redis://127.0.0.1:6379" */
  redisUrl: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** Policies; the defaults are merged with what you set (set one to `false` to remove it). */
  policies: z.record(z.string().min(1), z.union([policySchema(), z.literal(false)])).default({}),
  /** WebSocket connection caps. */
  websocketConnections: section({
    perUser: z.number().int().positive().default(3),
    total: z.number().int().positive().default(1000),
  }),
  /** Honour X-Forwarded-For only from these proxies: addresses, CIDR ranges or "loopback". @default [] */
  trustedProxies: z.array(refineWith(z.string().min(1), 'proxyEntry', { message: 'expected an IP address, a CIDR range (10.0.0.0/8) or "loopback"' })).default([]),
  /** Prefix of every Redis key, so several services can share one Redis. @default "pulseguard:rl" */
  keyPrefix: z.string().min(1).default('pulseguard:rl'),
  /** A Redis command (and a decision) slower than this counts as a store failure: the fallback answers. @default 500 */
  redisCommandTimeoutMs: durationMs(1).default(500),
  /**
   * Consecutive store failures (errors or timeouts) that open the circuit breaker: decisions then
   * go to the fallback at once instead of waiting `redisCommandTimeoutMs` each. @default 3
   */
  breakerFailures: z.number().int().positive().default(3),
  /** How long the open breaker waits before one decision probes Redis again. @default 5000 */
  breakerOpenMs: durationMs(1).default(5000),
  /** Keys per policy whose last Redis count is remembered, so the fallback starts from it, not from zero. @default 10000 */
  rememberKeys: z.number().int().positive().default(10_000),
  /** Fall back to an in-process limiter while Redis is unreachable. @default true */
  insurance: z.boolean().default(true),
  /**
   * Each instance's insurance limiter allows `points / insuranceDivisor` (at least 1), so a fleet
   * of N instances set to N keeps about the policy's total during a Redis outage. @default 1
   */
  insuranceDivisor: z.number().int().positive().default(1),
  /** Decision when the store fails and no insurance answered: "allow" (fail open) or "deny". @default "allow" */
  onStoreError: z.enum(['allow', 'deny']).default('allow'),
  /** Also send the legacy X-RateLimit-Limit/-Remaining/-Reset headers. @default false */
  legacyHeaders: z.boolean().default(false),
});

export const healthSchema = () => refineWith(section({
  /** Serve the health endpoints. @default true */
  enabled: z.boolean().default(true),
  /** Standalone port for health endpoints; unset = mount them yourself. 0 picks a free port. */
  port: z.number().int().min(0).max(65535).optional(),
  /** @default "0.0.0.0" */
  host: z.string().min(1).default('0.0.0.0'),
  /** /health/detailed reveals internals: off unless a bearer token is set. */
  detailed: section({ enabled: z.boolean().default(false), token: z.string().min(16, 'use a token of 16 characters or more').optional() }),
  /** A check that takes longer is reported as failing. @default 2000 */
  checkTimeoutMs: durationMs(10).default(2000),
  /** Results are cached this long so a slow dependency cannot slow the endpoint. @default 5000 */
  cacheTtlMs: durationMs().default(5000),
}), 'detailedNeedsToken', { message: 'health.detailed.enabled needs health.detailed.token', path: ['detailed', 'token'] });
