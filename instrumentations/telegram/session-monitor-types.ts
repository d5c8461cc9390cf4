import type { Logger } from '../../src/logging/logger';
import type { MonitorClock } from './deadline';
import type { SessionLeaseStore } from './session-lease';
import type { TelegramSessionPool } from './session-pool';

/** The client surface the monitor drives (a GramJS TelegramClient). */
export interface MonitoredClient {
  connect(): Promise<unknown>;
  disconnect(): Promise<unknown>;
  getMe(): Promise<unknown>;
  readonly connected?: boolean;
  listEventHandlers(): Array<[unknown, unknown]>;
  addEventHandler(callback: never, event?: never): void;
}

/** The spec's SessionHealth. */
export interface SessionHealth {
  healthy: boolean;
  /** ms since epoch of the last call made on the session, undefined before the first. */
  lastUsed: number | undefined;
  /** Errors that speak about the session or the connection (docs/telegram.md "Decision rules") plus session errors, in the window. */
  errorCount: number;
  /** Calls, all failed calls, and the average latency without slept flood waits. */
  performance: { calls: number; failures: number; avgLatencyMs: number };
  /** Session error codes seen in the window (AUTH_KEY_UNREGISTERED, TRANSPORT_ERROR_404...). */
  sessionErrors: string[];
  /** False when disconnected, or when the server forgot the auth key (-404) though the socket is open. */
  connected: boolean;
}

/** What the monitor did. `abandoned`: the app destroyed or replaced the client, so the monitor let it go. */
export type MonitorAction = 'none' | 'recovered' | 'recovery_failed' | 'failed_over' | 'failover_failed' | 'abandoned';

/** Options of {@link TelegramSessionMonitor}. */
export interface SessionMonitorOptions<C extends MonitoredClient> {
  client: C;
  /** Name of the current session for reports. @default "primary" */
  sessionId?: string;
  /** Health check interval (spec: 5 minutes). @default 300000 */
  healthCheckIntervalMs?: number;
  /** Scheduled failover to a standby (spec: 24 hours); 0 disables. @default 86400000 */
  rotationIntervalMs?: number;
  /** More session/connection errors than this in a window forces failover; fewer attempt recovery (spec: 5). @default 5 */
  maxErrorsBeforeFailover?: number;
  /** Average latency (flood sleeps excluded) above this marks the session unhealthy. @default 2000 */
  maxAvgLatencyMs?: number;
  /** Reconnect backoff (recovery.backoff). @default { initialMs: 1000, maxRetries: 5, maxMs: 30000, jitter: 0.2 } */
  backoff?: { initialMs: number; maxRetries: number; maxMs: number; jitter: number };
  /** Deadline of each step (disconnect, connect, getMe, pool calls); a step past it is abandoned. @default 30000 */
  stepTimeoutMs?: number;
  /** Standby authorizations for failover. @default undefined (failover impossible; recovery only) */
  pool?: TelegramSessionPool;
  /** Builds a client for a standby session string (your apiId, apiHash and options). Needed for failover. */
  createClient?: (session: string) => C;
  /** Called after a failover with the client now in use; swap your references here. */
  onFailover?: (next: C, previous: C) => void | Promise<void>;
  /**
   * Called once when the monitor lets its client go because the app destroyed or replaced it
   * (`lastAction: "abandoned"`). `telemetry.telegram.monitorSession()` uses it to take the
   * monitor out of /health/telegram: a client the app gave up on is not a session that is down.
   */
  onAbandoned?: (client: C) => void;
  /** Where session leases live (process-wide memory, or Redis for a fleet). @default the process store */
  leaseStore?: SessionLeaseStore;
  logger?: Logger;
  /** @internal tests */
  sleep?: (ms: number) => Promise<void>;
  /** @internal tests */
  clock?: MonitorClock;
}
