import type { WsLimits } from './types';
import {
  CLOSE_CODE_MESSAGE_TOO_BIG, CLOSE_CODE_POLICY_VIOLATION, REASON_VALUE_CONNECTION_RATE,
  REASON_VALUE_TOO_MANY_CONNECTIONS, REASON_VALUE_TOO_MANY_USER_CONNECTIONS,
} from './semconv';
import type { ConnectionState } from './internal-types';

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
 * The connection and message guards: plain counters, no timer per key (STYLE.md §10).
 * Users are counted in one Map (user key -> open connections) that also gives the spec's
 * activeUsers; windows are fixed and reset lazily when the next event finds them expired.
 * @internal
 */
export class WsGuards {
  /** Open server connections per user key; a key leaves the map when its last connection closes. */
  readonly users = new Map<string, number>();
  /** Open server connections. */
  serverConnections = 0;
  private connWindowStart = -Infinity;
  private connWindowCount = 0;

  constructor(public limits: WsLimits, public enabled: boolean) {}

  /** Decides an upgrade; consumes one new-connection slot when it admits. */
  checkUpgrade(userKey: string | undefined, now: number): UpgradeRefusal | undefined {
    if (!this.enabled) return undefined;
    const l = this.limits;
    if (this.serverConnections >= l.total) return { status: 503, reason: REASON_VALUE_TOO_MANY_CONNECTIONS, retryAfterSeconds: undefined };
    if (userKey !== undefined && (this.users.get(userKey) ?? 0) >= l.perUser) {
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
    return undefined;
  }

  /** A server connection opened (tracked even with guards off: it feeds activeUsers). */
  opened(userKey: string | undefined): void {
    this.serverConnections++;
    if (userKey !== undefined) this.users.set(userKey, (this.users.get(userKey) ?? 0) + 1);
  }

  /** A server connection closed. */
  closed(userKey: string | undefined): void {
    // Clamped: a socket opened under an earlier (since replaced) instrumentation may close here.
    if (this.serverConnections > 0) this.serverConnections--;
    if (userKey === undefined) return;
    const n = (this.users.get(userKey) ?? 1) - 1;
    if (n <= 0) this.users.delete(userKey);
    else this.users.set(userKey, n);
  }

  /**
   * Decides one inbound message: 0 to deliver, else the close code (1009 too big, 1008 over
   * the per-connection rate). Two comparisons and a field update on the hot path. `now` is
   * the monotonic clock in ms (performance.now()), read once per message by the caller.
   */
  checkMessage(st: ConnectionState, size: number, now: number): number {
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
