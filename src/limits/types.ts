import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../internal/redis-client';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import type { HotMetricRegistry } from '../metrics/hot-metrics';
import type { OUTCOMES } from './semconv';
import type { RateLimitHealthSnapshot } from './health-snapshot';

/** What a decision was: allowed now, throttled, allowed after waiting in a queue, or a store failure. */
export type DecisionOutcome = (typeof OUTCOMES)[number];

/** Why a call was not allowed (or allowed by the store-error fallback). */
export type DecisionReason = 'limit' | 'too_large' | 'queue_full' | 'store_error';

/**
 * The answer to `telemetry.limits.consume()`. A value, never an exception: throttling is a normal
 * result (rate-limiter-flexible rejects with RateLimiterRes objects, converted here).
 */
export interface Decision {
  /** The call may proceed. */
  readonly allowed: boolean;
  /** What happened, as counted in `ratelimit.decisions{outcome}`. */
  readonly outcome: DecisionOutcome;
  /** The policy name. */
  readonly policy: string;
  /** Points per window of the policy. */
  readonly limit: number;
  /** Points left in the current window for this key. */
  readonly remaining: number;
  /** Milliseconds until the window of this key resets. */
  readonly resetMs: number;
  /** Seconds to wait before retrying (the HTTP Retry-After value); 0 when allowed. */
  readonly retryAfterSeconds: number;
  /** Set when the call was not allowed, or allowed only because the store failed. */
  readonly reason?: DecisionReason;
  /** Queue-mode policies: how long the call waited, in milliseconds. */
  readonly waitedMs?: number;
}

/** A rate-limit policy after defaults are applied. */
export interface RateLimitPolicy {
  /** Points (requests, messages) allowed per window. */
  points: number;
  /** Window length in milliseconds (whole seconds in Redis). */
  durationMs: number;
  /** Largest item allowed, in bytes; bigger items are throttled with reason "too_large". */
  maxSizeBytes?: number;
  /** "reject" answers at once (inbound); "queue" waits for a free slot (outbound). @default "reject" */
  mode: 'reject' | 'queue';
  /** Queue mode: waiting callers per key beyond this are throttled. @default 1000 */
  maxQueueSize: number;
  /** Fail open ("allow") or closed ("deny") when the shared store fails; unset: the section's `onStoreError`. */
  onStoreError?: 'allow' | 'deny';
}

/** A policy as written: `points` and `durationMs` required, the rest defaulted. */
export interface RateLimitPolicyInput {
  points: number;
  durationMs: number;
  maxSizeBytes?: number;
  mode?: 'reject' | 'queue';
  maxQueueSize?: number;
  onStoreError?: 'allow' | 'deny';
}

/** Options of one `consume()` call. */
export interface ConsumeOptions {
  /** Size of the item in bytes, checked against the policy's `maxSizeBytes`. */
  sizeBytes?: number;
}

/** A held WebSocket connection slot; call `release()` when the socket closes (idempotent). */
export interface ConnectionLease {
  readonly decision: Decision;
  release(): void;
}

/** The rate-limit API, `telemetry.limits`. */
export interface RateLimits {
  /**
   * Takes `points` (default 1) from `key`'s budget under `policy`. Resolves to a {@link Decision};
   * rejects only with an Error, and only for an unknown policy or points above the policy's limit.
   * Queue-mode policies wait for a slot instead of throttling (until the queue is full).
   */
  consume(policy: string, key: string | number, points?: number, options?: ConsumeOptions): Promise<Decision>;
  /** Takes one WebSocket connection slot for `userKey` (3 per user, 1000 per process by default). */
  acquireConnection(userKey: string | number): Promise<ConnectionLease>;
  /** The resolved policies by name. */
  policies(): ReadonlyMap<string, RateLimitPolicy>;
  /** Adds or replaces a policy at run time. */
  setPolicy(name: string, policy: RateLimitPolicyInput): void;
  /** Which store answers: "memory", or "redis" (with insurance while Redis is unreachable). */
  readonly storeKind: 'memory' | 'redis';
  /**
   * The `/health/rate-limits` figures (the spec's fields: metrics, throttled, timestamp, plus the
   * store). The status is the rules' (`telemetry.health.componentReport('rate-limits')`).
   */
  health(): RateLimitHealthSnapshot;
  /**
   * Closes the Redis connection pulseguard opened and forgets idle queues. Calls already waiting
   * in a queue are not cancelled (RateLimiterQueue cannot); they are answered by the insurance
   * limiter or as store errors. Safe to call twice.
   */
  close(): Promise<void>;
}

/** Options of {@link createRateLimits}. */
export interface CreateRateLimitsOptions {
  /** The `rateLimits` section (defaults filled in). */
  config: PulseguardConfig['rateLimits'];
  /** Component logger. */
  logger?: Logger;
  /** Use this ioredis client instead of opening one from `redisUrl` (it is not closed by pulseguard). */
  redis?: RedisClient;
  /** Where metrics go. @default the process-wide pulseguardMetrics */
  metrics?: HotMetricRegistry;
  /** Clock for health rates (tests). @default Date.now */
  now?: () => number;
}

/**
 * Builds rate-limiter-flexible limiters for policies (one class per store, wrappers
 * keep the interface).
 *
 * @internal
 */
export interface LimiterStore {
  readonly kind: 'memory' | 'redis';
  createLimiter(name: string, policy: RateLimitPolicy): RateLimiterAbstract;
  close(): Promise<void>;
}
