import type { RateLimitRegistry } from '../../src/limits/limiter-registry';
import { LOCAL_VERDICT_ALLOWED, LOCAL_VERDICT_TOO_LARGE, type LocalPolicy, type WindowSlot } from '../../src/limits/local-policy';
import { POLICY_WS_CONNECTIONS_TOTAL, POLICY_WS_MESSAGES, POLICY_WS_NEW_CONNECTIONS } from '../../src/limits/semconv';
import {
  CLOSE_CODE_MESSAGE_TOO_BIG, CLOSE_CODE_POLICY_VIOLATION, REASON_VALUE_CONNECTION_RATE,
  REASON_VALUE_TOO_MANY_CONNECTIONS, REASON_VALUE_TOO_MANY_USER_CONNECTIONS,
} from './semconv';

/** A refused upgrade: HTTP status, reason for the metric, Retry-After seconds. @internal */
export interface UpgradeRefusal {
  status: 429 | 503;
  reason: string;
  retryAfterSeconds: number | undefined;
}

/**
 * The connection and message guards, deciding through the limiter (src/limits): its connection
 * caps, its `websocket.newConnections` and `websocket.messages` policies and its
 * `ratelimit.decisions` counters. Decisions are synchronous (ws's handleUpgrade and message
 * emit are), so they use the limiter's in-process views: no Promise per message.
 *
 * Users with an open connection are counted here (user key -> open connections), which gives
 * the spec's activeUsers. An admitted upgrade holds its limiter slot from the decision on (ws
 * may still be inside an async `verifyClient`, and concurrent upgrades must not all see the
 * same free slot); the slot ends exactly once, in `opened(userKey, true)` (it becomes the
 * connection's) or in `release(userKey)` (the handshake failed); the caller guarantees the "once".
 * @internal
 */
export class WsGuards {
  /** Open server connections per user key; a key leaves the map when its last connection closes. */
  readonly users = new Map<string, number>();
  /** Open server connections. */
  serverConnections = 0;
  /** The process-wide window of `websocket.newConnections`. */
  private readonly connWindow: WindowSlot = { winStart: -Infinity, winCount: 0 };
  private messages: LocalPolicy | undefined;
  private newConnections: LocalPolicy | undefined;

  constructor(public limiter: RateLimitRegistry, public enabled: boolean) {
    this.reconfigure(limiter, enabled);
  }

  /**
   * Decides through `limiter` from now on (setConfig). Slots held in a previous limiter stay
   * there: their sockets give back a slot of this one when they close (clamped at 0).
   */
  reconfigure(limiter: RateLimitRegistry, enabled: boolean): void {
    this.limiter = limiter;
    this.enabled = enabled;
    this.messages = limiter.localPolicy(POLICY_WS_MESSAGES);
    this.newConnections = limiter.localPolicy(POLICY_WS_NEW_CONNECTIONS);
  }

  /**
   * Decides an upgrade. When it admits, it holds a connection slot in the limiter (total and
   * per user), which the caller must end with `opened(userKey, true)` or `release(userKey)`.
   * With guards off it admits and still holds the slot (without counting a decision), so the
   * counts stay right when guards are switched on later.
   */
  checkUpgrade(userKey: string | undefined, now: number): UpgradeRefusal | undefined {
    const slots = this.limiter.connections;
    if (this.enabled) {
      const capped = slots.check(userKey);
      if (capped !== undefined) {
        return capped.policy === POLICY_WS_CONNECTIONS_TOTAL
          ? { status: 503, reason: REASON_VALUE_TOO_MANY_CONNECTIONS, retryAfterSeconds: undefined }
          : { status: 429, reason: REASON_VALUE_TOO_MANY_USER_CONNECTIONS, retryAfterSeconds: undefined };
      }
      const rate = this.newConnections;
      if (rate !== undefined && rate.take(this.connWindow, 0, now) !== LOCAL_VERDICT_ALLOWED) {
        return { status: 429, reason: REASON_VALUE_CONNECTION_RATE, retryAfterSeconds: rate.retryAfterSeconds(this.connWindow, now) };
      }
    }
    slots.take(userKey, this.enabled);
    return undefined;
  }

  /** An admitted upgrade failed (refused by ws or verifyClient, socket gone): its slot is given back. */
  release(userKey: string | undefined): void {
    this.limiter.connections.release(userKey);
  }

  /**
   * A server connection opened (tracked even with guards off: it feeds activeUsers). `reserved`:
   * it is the upgrade this instance admitted, and its slot becomes the connection's; otherwise
   * (opened under an instrumentation since replaced) it takes a slot here.
   */
  opened(userKey: string | undefined, reserved = false): void {
    if (!reserved) this.limiter.connections.take(userKey, false);
    this.serverConnections++;
    if (userKey !== undefined) this.users.set(userKey, (this.users.get(userKey) ?? 0) + 1);
  }

  /** A server connection closed: its slot is given back. */
  closed(userKey: string | undefined): void {
    // Clamped: a socket opened under an earlier (since replaced) instrumentation may close here.
    if (this.serverConnections > 0) this.serverConnections--;
    this.limiter.connections.release(userKey);
    if (userKey === undefined) return;
    const n = (this.users.get(userKey) ?? 1) - 1;
    if (n <= 0) this.users.delete(userKey);
    else this.users.set(userKey, n);
  }

  /**
   * Decides one inbound message: 0 to deliver, else the close code (1009 too big, 1008 over
   * the per-connection rate). The connection's state is the policy's window, so the decision
   * is two comparisons and a field update. `now` is the monotonic clock in ms
   * (performance.now()), read once per message by the caller.
   */
  checkMessage(st: WindowSlot, size: number, now: number): number {
    const p = this.messages;
    if (p === undefined) return 0;
    const v = p.take(st, size, now);
    if (v === LOCAL_VERDICT_ALLOWED) return 0;
    return v === LOCAL_VERDICT_TOO_LARGE ? CLOSE_CODE_MESSAGE_TOO_BIG : CLOSE_CODE_POLICY_VIOLATION;
  }
}
