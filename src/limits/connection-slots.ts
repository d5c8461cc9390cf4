import { refusedDecision, allowedSlotDecision } from './decision';
import type { PolicyMetrics } from './metrics';
import { POLICY_WS_CONNECTIONS_PER_USER, POLICY_WS_CONNECTIONS_TOTAL } from './semconv';
import type { Decision } from './types';

/**
 * The WebSocket connection caps (3 per user, 1000 per process by default): concurrency slots, not
 * a rate. A slot is held from the admitting decision until `release()`, so concurrent upgrades
 * never all see the same free slot. Per process on purpose: a socket lives in one process, so its
 * slot does too, and the upgrade decision must be synchronous (ws's handleUpgrade is).
 *
 * @internal Part of RateLimitRegistry (the ws guards and `acquireConnection()` share it).
 */
export class ConnectionSlots {
  /** Held slots per user key; a key leaves the map when its last slot is released. */
  private readonly perUserHeld = new Map<string, number>();
  /** Held slots in total. */
  held = 0;

  constructor(
    public caps: { perUser: number; total: number },
    private readonly totalMetrics: PolicyMetrics,
    private readonly perUserMetrics: PolicyMetrics,
  ) {}

  /**
   * The cap that refuses a new slot for `userKey` (undefined: no per-user cap), counted as a
   * throttled decision under the cap's policy; undefined when both caps have room.
   */
  check(userKey: string | undefined): Decision | undefined {
    const { perUser, total } = this.caps;
    if (this.held >= total) {
      this.totalMetrics.decisions.throttled.value++;
      return refusedDecision(POLICY_WS_CONNECTIONS_TOTAL, total, 'limit', 1000);
    }
    if (userKey !== undefined && (this.perUserHeld.get(userKey) ?? 0) >= perUser) {
      this.perUserMetrics.decisions.throttled.value++;
      return refusedDecision(POLICY_WS_CONNECTIONS_PER_USER, perUser, 'limit', 1000);
    }
    return undefined;
  }

  /**
   * Holds a slot for `userKey` without deciding. `counted`: record it as an allowed decision
   * (false while guards only observe: the slot is bookkeeping, so that switching the guards on
   * later finds the right counts).
   */
  take(userKey: string | undefined, counted: boolean): void {
    this.held++;
    if (userKey !== undefined) this.perUserHeld.set(userKey, (this.perUserHeld.get(userKey) ?? 0) + 1);
    if (counted) {
      this.totalMetrics.decisions.allowed.value++;
      this.perUserMetrics.decisions.allowed.value++;
    }
  }

  /** Decides and, when allowed, holds a slot for `userKey` (`telemetry.limits.acquireConnection`). */
  acquire(userKey: string | undefined): Decision {
    const refused = this.check(userKey);
    if (refused !== undefined) return refused;
    this.take(userKey, true);
    const { perUser, total } = this.caps;
    return userKey === undefined
      ? allowedSlotDecision(POLICY_WS_CONNECTIONS_TOTAL, total, total - this.held)
      : allowedSlotDecision(POLICY_WS_CONNECTIONS_PER_USER, perUser, perUser - (this.perUserHeld.get(userKey) ?? 0));
  }

  /** Slots held by `userKey`. */
  heldBy(userKey: string): number {
    return this.perUserHeld.get(userKey) ?? 0;
  }

  /** User keys holding at least one slot. */
  userKeys(): IterableIterator<string> {
    return this.perUserHeld.keys();
  }

  /** Gives back a slot taken by an allowed `acquire(userKey)`; clamped at 0. */
  release(userKey: string | undefined): void {
    if (this.held > 0) this.held--;
    if (userKey === undefined) return;
    const n = (this.perUserHeld.get(userKey) ?? 1) - 1;
    if (n <= 0) this.perUserHeld.delete(userKey);
    else this.perUserHeld.set(userKey, n);
  }
}
