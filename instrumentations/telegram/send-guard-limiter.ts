import { RateLimiterMemory, RateLimiterRes } from '../../src/limits/rate-limiter-flexible';

/** One policy as src/config/schema/rate-limits.ts defines it. */
export interface SendGuardPolicy {
  points: number;
  durationMs: number;
  maxSizeBytes?: number;
}

/** A limiter decision: allowed now, or how long until a slot frees. */
export interface SendGuardDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * The small interface the send guard needs from a rate limiter. pulseguard's rate-limit module
 * (telemetry.limits) can replace the memory implementation below (e.g. Redis for a fleet).
 */
export interface SendGuardLimiter {
  consume(policy: string, key: string, points: number): Promise<SendGuardDecision>;
}

/**
 * rate-limiter-flexible memory limiters, one per policy. A rejected consume still counts its
 * points in a fixed window, so the guard only retries after `retryAfterMs`, when the window
 * has rolled over.
 */
export function createMemorySendGuardLimiter(policies: Readonly<Record<string, SendGuardPolicy>>): SendGuardLimiter {
  const limiters = new Map<string, RateLimiterMemory>();
  for (const [name, p] of Object.entries(policies)) {
    limiters.set(name, new RateLimiterMemory({ points: p.points, duration: p.durationMs / 1000, keyPrefix: name }));
  }
  return {
    async consume(policy, key, points) {
      const limiter = limiters.get(policy);
      if (!limiter) return { allowed: true, retryAfterMs: 0 };
      try {
        await limiter.consume(key, points);
        return { allowed: true, retryAfterMs: 0 };
      } catch (res) {
        if (res instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, res.msBeforeNext) };
        throw res;
      }
    },
  };
}
