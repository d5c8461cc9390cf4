import type { WsLimits } from './types';
import {
  CLOSE_CODE_MESSAGE_TOO_BIG, CLOSE_CODE_POLICY_VIOLATION, REASON_VALUE_CONNECTION_RATE,
  REASON_VALUE_TOO_MANY_CONNECTIONS, REASON_VALUE_TOO_MANY_USER_CONNECTIONS,
} from './semconv';

/** The spec's limits (rateLimits.policies websocket.*, rateLimits.websocketConnections). */
export const DEFAULT_WS_LIMITS: Readonly<WsLimits> = Object.freeze({
  perUser: 3,
  total: 1000,
  newConnections: 100,
  newConnectionsWindowMs: 60_000,
  messages: 100,
  messagesWindowMs: 60_000,
  maxMessageBytes: 4 * 1024,
});

/** A refused upgrade: HTTP status, reason for the metric, Retry-After seconds. @internal */
export interface UpgradeRefusal {
  status: 429 | 503;
  reason: string;
  retryAfterSeconds: number | undefined;
}

/**
 * The per-connection message window the guard updates (fields of the connection state; declared
 * here so the guards do not import the state that holds them).
 */
export interface MessageWindow {
  winStart: number;
  winCount: number;
}

/**
 * The connection and message guards: plain counters, no timer per key (STYLE.md §10).
 * Users are counted in one Map (user key -> open connections) that also gives the spec's
 * activeUsers; windows are fixed and reset lazily when the next event finds them expired.
 *
 * An admitted upgrade holds its slot from the decision on (a reservation, counted apart from
 * the open connections so activeUsers stays "users with an open connection"): ws may still be
 * inside an async `verifyClient`, and concurrent upgrades must not all see the same free slot.
 * The reservation ends exactly once, in `opened(userKey, true)` (it becomes the connection's
 * slot) or in `release(userKey)` (the handshake failed); the caller guarantees the "once".
 * @internal
 */
export class WsGuards {
  /** Open server connections per user key; a key leaves the map when its last connection closes. */
  readonly users = new Map<string, number>();
  /** Open server connections. */
  serverConnections = 0;
  /** Admitted upgrades not yet open nor failed, per user key (a key leaves the map at 0). */
  readonly pendingUsers = new Map<string, number>();
  /** Admitted upgrades not yet open nor failed. */
  pendingConnections = 0;
  private connWindowStart = -Infinity;
  private connWindowCount = 0;

  constructor(public limits: WsLimits, public enabled: boolean) {}

  /**
   * Decides an upgrade. When it admits, it consumes one new-connection slot and reserves a
   * connection slot (total and per user), which the caller must end with `opened(userKey, true)`
   * or `release(userKey)`. With guards off it admits and still reserves, so the counts stay
   * right when guards are switched on later.
   */
  checkUpgrade(userKey: string | undefined, now: number): UpgradeRefusal | undefined {
    if (this.enabled) {
      const l = this.limits;
      if (this.serverConnections + this.pendingConnections >= l.total) return { status: 503, reason: REASON_VALUE_TOO_MANY_CONNECTIONS, retryAfterSeconds: undefined };
      if (userKey !== undefined && (this.users.get(userKey) ?? 0) + (this.pendingUsers.get(userKey) ?? 0) >= l.perUser) {
        return { status: 429, reason: REASON_VALUE_TOO_MANY_USER_CONNECTIONS, retryAfterSeconds: undefined };
      }
      if (now - this.connWindowStart >= l.newConnectionsWindowMs) {
        this.connWindowStart = now;
        this.connWindowCount = 0;
      }
      if (this.connWindowCount >= l.newConnections) {
        const retry = Math.max(1, Math.ceil((this.connWindowStart + l.newConnectionsWindowMs - now) / 1000));
        return { status: 429, reason: REASON_VALUE_CONNECTION_RATE, retryAfterSeconds: retry };
      }
      this.connWindowCount++;
    }
    this.pendingConnections++;
    if (userKey !== undefined) increment(this.pendingUsers, userKey);
    return undefined;
  }

  /** An admitted upgrade failed (refused by ws or verifyClient, socket gone): its reservation ends. */
  release(userKey: string | undefined): void {
    if (this.pendingConnections > 0) this.pendingConnections--;
    if (userKey !== undefined) decrement(this.pendingUsers, userKey);
  }

  /**
   * A server connection opened (tracked even with guards off: it feeds activeUsers). `reserved`:
   * it is the upgrade this instance admitted, and its reservation becomes the connection's slot.
   */
  opened(userKey: string | undefined, reserved = false): void {
    if (reserved) this.release(userKey);
    this.serverConnections++;
    if (userKey !== undefined) increment(this.users, userKey);
  }

  /** A server connection closed. */
  closed(userKey: string | undefined): void {
    // Clamped: a socket opened under an earlier (since replaced) instrumentation may close here.
    if (this.serverConnections > 0) this.serverConnections--;
    if (userKey !== undefined) decrement(this.users, userKey);
  }

  /**
   * Decides one inbound message: 0 to deliver, else the close code (1009 too big, 1008 over
   * the per-connection rate). Two comparisons and a field update on the hot path. `now` is
   * the monotonic clock in ms (performance.now()), read once per message by the caller.
   */
  checkMessage(st: MessageWindow, size: number, now: number): number {
    const l = this.limits;
    if (size > l.maxMessageBytes) return CLOSE_CODE_MESSAGE_TOO_BIG;
    if (now - st.winStart >= l.messagesWindowMs) {
      st.winStart = now;
      st.winCount = 0;
    }
    if (++st.winCount > l.messages) return CLOSE_CODE_POLICY_VIOLATION;
    return 0;
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Clamped at 0; the key leaves the map at 0, so the map holds only keys in use. */
function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
