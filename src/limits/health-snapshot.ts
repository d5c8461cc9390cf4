// The figures of /health/rate-limits: a leaf of types, so the RateLimits interface can name them
// without importing the code that computes them (no import cycle).

/** One policy in `/health/rate-limits`. */
export interface PolicyRateStatus {
  /** Points per window. */
  limit: number;
  /** Window in seconds. */
  windowSeconds: number;
  /** Decisions per minute over the last minute (or since the first report). */
  requestsPerMinute: number;
  /** Throttled decisions per minute over the same span. */
  throttledPerMinute: number;
  /** Decisions since start, by outcome. */
  allowed: number;
  throttled: number;
  queued: number;
  storeErrors: number;
}

/**
 * The figures of `GET /health/rate-limits` (the spec's fields, plus the store). They describe;
 * the status is judged by the rule HighThrottleRate, as the alert is, and degraded while the
 * store is in fallback (`telemetry.health.componentReport('rate-limits')`).
 */
export interface RateLimitHealthSnapshot {
  metrics: {
    telegram: Record<string, PolicyRateStatus>;
    api: Record<string, PolicyRateStatus>;
    websocket: Record<string, PolicyRateStatus | { active: number; perUser: number; total: number }>;
    [group: string]: Record<string, unknown>;
  };
  /** Throttled decisions across every policy: since start, and the recent share. */
  throttled: { count: number; rate: number; recent: number };
  /**
   * The shared store: `fallback` is true while it is degraded (Redis disconnected, the breaker
   * not closed, or the last call failed), `fallbacks` counts in-process answers since start,
   * `breaker` is the circuit breaker's state (Redis store only).
   */
  store: { kind: 'memory' | 'redis'; fallback: boolean; fallbacks: number; breaker?: 'closed' | 'open' | 'half_open' };
  timestamp: string;
}
