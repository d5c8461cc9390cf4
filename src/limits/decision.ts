import { RateLimiterRes } from './rate-limiter-flexible';
import { OUTCOME_VALUE_ALLOWED, OUTCOME_VALUE_QUEUED, OUTCOME_VALUE_STORE_ERROR, OUTCOME_VALUE_THROTTLED } from './semconv';
import type { Decision, DecisionReason } from './types';

/** Seconds to wait, rounded up so a client that waits exactly this long is never early. */
export function retryAfterSeconds(msBeforeNext: number): number {
  return msBeforeNext > 0 ? Math.ceil(msBeforeNext / 1000) : 0;
}

/**
 * A decision from a resolved consume (the points were taken). Every decision object is built
 * with the same fields in the same order, so V8 keeps one hidden class on this hot path.
 */
export function allowedDecision(policy: string, limit: number, res: RateLimiterRes): Decision {
  const ms = res.msBeforeNext;
  return {
    allowed: true,
    outcome: OUTCOME_VALUE_ALLOWED,
    policy,
    limit,
    remaining: res.remainingPoints,
    // -1 means "no expiry" in rate-limiter-flexible (duration 0).
    resetMs: ms > 0 ? ms : 0,
    retryAfterSeconds: 0,
    reason: undefined,
    waitedMs: undefined,
  };
}

/** An admitted concurrency slot (WebSocket connection caps): `remaining` slots are left. */
export function allowedSlotDecision(policy: string, limit: number, remaining: number): Decision {
  return {
    allowed: true,
    outcome: OUTCOME_VALUE_ALLOWED,
    policy,
    limit,
    remaining,
    resetMs: 0,
    retryAfterSeconds: 0,
    reason: undefined,
    waitedMs: undefined,
  };
}

/** A queue-mode decision: allowed after waiting in the queue for `waitedMs`. */
export function queuedDecision(policy: string, limit: number, remaining: number, waitedMs: number): Decision {
  return {
    allowed: true,
    outcome: OUTCOME_VALUE_QUEUED,
    policy,
    limit,
    remaining,
    resetMs: 0,
    retryAfterSeconds: 0,
    reason: undefined,
    waitedMs,
  };
}

/** A decision from a rejection with a RateLimiterRes (over the limit). */
export function throttledDecision(policy: string, limit: number, res: RateLimiterRes, reason: DecisionReason = 'limit'): Decision {
  return {
    allowed: false,
    outcome: OUTCOME_VALUE_THROTTLED,
    policy,
    limit,
    remaining: res.remainingPoints,
    resetMs: res.msBeforeNext,
    retryAfterSeconds: Math.max(1, retryAfterSeconds(res.msBeforeNext)),
    reason,
    waitedMs: undefined,
  };
}

/** A throttled decision made without asking the store (item too large, queue full). */
export function refusedDecision(policy: string, limit: number, reason: DecisionReason, resetMs = 0): Decision {
  return {
    allowed: false,
    outcome: OUTCOME_VALUE_THROTTLED,
    policy,
    limit,
    remaining: 0,
    resetMs,
    retryAfterSeconds: reason === 'too_large' ? 0 : Math.max(1, retryAfterSeconds(resetMs)),
    reason,
    waitedMs: undefined,
  };
}

/** The store failed and no insurance answered: fail open or closed as configured. */
export function storeErrorDecision(policy: string, limit: number, allow: boolean): Decision {
  return {
    allowed: allow,
    outcome: OUTCOME_VALUE_STORE_ERROR,
    policy,
    limit,
    remaining: allow ? limit : 0,
    resetMs: 0,
    retryAfterSeconds: allow ? 0 : 1,
    reason: 'store_error',
    waitedMs: undefined,
  };
}

/**
 * rate-limiter-flexible rejects with a RateLimiterRes when over the limit and with an Error when
 * the store fails. Anything else (a string, undefined) becomes an Error so that no non-Error
 * escapes.
 */
export function toError(rejection: unknown): Error {
  if (rejection instanceof Error) return rejection;
  if (rejection instanceof RateLimiterRes) return new Error(`rate limited: ${String(rejection)}`);
  return new Error(`rate limiter failed: ${String(rejection)}`);
}
