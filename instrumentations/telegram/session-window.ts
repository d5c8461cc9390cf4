import { ROTATION_ERROR_KINDS, type TelegramErrorKind } from './semconv';
import type { TelegramRpcInfo } from './types';

/** Session error codes recovery cannot fix: the authorization is gone or used elsewhere. */
export const FATAL_SESSION_ERRORS: ReadonlySet<string> = new Set([
  'AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'USER_DEACTIVATED', 'USER_DEACTIVATED_BAN', 'AUTH_KEY_DUPLICATED', 'SESSION_EXPIRED',
  'AUTH_KEY_INVALID', 'AUTH_KEY_PERM_EMPTY', 'TRANSPORT_ERROR_404',
]);

/**
 * One health window of a session (the spec's checkSessionHealth inputs), fed by the
 * instrumentation's events. Decision rules (docs/telegram.md):
 * - only errors of a ROTATION kind (session, network, server) count toward failover; a
 *   MESSAGE_TOO_LONG or PEER_ID_INVALID says nothing about the session;
 * - latency excludes the flood waits GramJS slept, so one FLOOD_WAIT_3 is not a slow session,
 *   and calls that waited through a reconnect (their duration is the outage, already judged by
 *   the connection state).
 *
 * @internal
 */
export class SessionWindow {
  calls = 0;
  failures = 0;
  rotationErrors = 0;
  latencySumMs = 0;
  /** Calls whose latency counts (not waiting through a reconnect). */
  latencyCalls = 0;
  sessionErrors = new Set<string>();
  lastUsedAt: number | undefined;

  onRpc(info: TelegramRpcInfo, now: number): void {
    this.calls += 1;
    if (info.reconnected !== true) {
      this.latencyCalls += 1;
      this.latencySumMs += Math.max(0, info.durationSeconds - (info.floodSleepSeconds ?? 0)) * 1000;
    }
    this.lastUsedAt = now;
    if (info.error === undefined) return;
    this.failures += 1;
    if (info.errorKind !== undefined && ROTATION_ERROR_KINDS.has(info.errorKind as TelegramErrorKind)) this.rotationErrors += 1;
  }

  onSessionError(code: string): void {
    this.sessionErrors.add(code);
  }

  get avgLatencyMs(): number {
    return this.latencyCalls > 0 ? this.latencySumMs / this.latencyCalls : 0;
  }

  get fatal(): boolean {
    for (const c of this.sessionErrors) if (FATAL_SESSION_ERRORS.has(c)) return true;
    return false;
  }

  reset(): void {
    this.calls = 0;
    this.failures = 0;
    this.rotationErrors = 0;
    this.latencySumMs = 0;
    this.latencyCalls = 0;
    this.sessionErrors = new Set();
  }
}
