import type { PolicyMetrics } from './metrics';
import type { RateLimitPolicy } from './types';

/**
 * A fixed window held by its owner (a WebSocket connection keeps one on its state object), so a
 * decision reads no map and allocates nothing.
 */
export interface WindowSlot {
  /** Start of the current window, in the caller's clock (ms). */
  winStart: number;
  /** Points taken in the current window. */
  winCount: number;
}

/** The item fits and the window has room: the points were taken. */
export const LOCAL_VERDICT_ALLOWED = 0 as const;
/** The window is full (`ratelimit.decisions{outcome="throttled"}`, reason "limit"). */
export const LOCAL_VERDICT_LIMIT = 1 as const;
/** The item is above the policy's `maxSizeBytes` (throttled, reason "too_large"). */
export const LOCAL_VERDICT_TOO_LARGE = 2 as const;

/** A synchronous decision of a {@link LocalPolicy}: a small integer, so the hot path allocates nothing. */
export type LocalVerdict = typeof LOCAL_VERDICT_ALLOWED | typeof LOCAL_VERDICT_LIMIT | typeof LOCAL_VERDICT_TOO_LARGE;

/**
 * One policy of the limiter decided synchronously in this process, over windows its callers hold.
 * It is the memory store's algorithm (a fixed window, reset lazily by the next decision) without
 * the Promise rate-limiter-flexible returns: the WebSocket message guard decides once per inbound
 * message, where a Promise per message would cost more than the rest of the instrumentation
 * (bench/ws). Decisions count in the same `ratelimit.decisions` series as `consume()`.
 *
 * A per-connection budget belongs to one process (a socket lives in one), so the Redis store has
 * nothing to add here; `store: "redis"` applies to `consume()` policies.
 *
 * @internal Obtained from `RateLimitRegistry#localPolicy`.
 */
export class LocalPolicy {
  constructor(
    readonly name: string,
    /** Replaced in place by `setPolicy()`, so holders of this object see the new limits. */
    public policy: RateLimitPolicy,
    private readonly metrics: PolicyMetrics,
  ) {}

  /** Takes one point from `slot` for an item of `sizeBytes` at `now` (ms, the caller's clock). */
  take(slot: WindowSlot, sizeBytes: number, now: number): LocalVerdict {
    const p = this.policy;
    const d = this.metrics.decisions;
    if (p.maxSizeBytes !== undefined && sizeBytes > p.maxSizeBytes) {
      d.throttled.value++;
      return LOCAL_VERDICT_TOO_LARGE;
    }
    if (now - slot.winStart >= p.durationMs) {
      slot.winStart = now;
      slot.winCount = 0;
    }
    if (slot.winCount >= p.points) {
      d.throttled.value++;
      return LOCAL_VERDICT_LIMIT;
    }
    slot.winCount++;
    d.allowed.value++;
    return LOCAL_VERDICT_ALLOWED;
  }

  /** Whole seconds until `slot`'s window resets (the HTTP Retry-After value), at least 1. */
  retryAfterSeconds(slot: WindowSlot, now: number): number {
    return Math.max(1, Math.ceil((slot.winStart + this.policy.durationMs - now) / 1000));
  }
}
