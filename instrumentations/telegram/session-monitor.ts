import { backoffDelay } from '../../src/internal/backoff';
import { reportInternalError } from '../../src/internal/internal-errors';
import type { Logger } from '../../src/logging/logger';
import { telegramCollectors } from './collectors';
import { telegramEvents, type TelegramEvent } from './events';
import { RECONNECT_REASON_VALUE_RECOVERY } from './semconv';
import type { TelegramSessionLease, TelegramSessionPool } from './session-pool';

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
  /** Failed calls plus session errors in the current health window. */
  errorCount: number;
  performance: { calls: number; failures: number; avgLatencyMs: number };
  /** Session error codes seen in the window (AUTH_KEY_UNREGISTERED...). */
  sessionErrors: string[];
  connected: boolean;
}

/** What the monitor did after a check. */
export type MonitorAction = 'none' | 'recovered' | 'recovery_failed' | 'failed_over' | 'failover_failed';

/** Options of {@link TelegramSessionMonitor}. */
export interface SessionMonitorOptions<C extends MonitoredClient> {
  client: C;
  /** Name of the current session for reports. @default "primary" */
  sessionId?: string;
  /** Health check interval (spec: 5 minutes). @default 300000 */
  healthCheckIntervalMs?: number;
  /** Scheduled failover to a standby (spec: 24 hours); 0 disables. @default 86400000 */
  rotationIntervalMs?: number;
  /** More errors than this in a window forces failover; fewer attempt recovery (spec: 5). @default 5 */
  maxErrorsBeforeFailover?: number;
  /** Average latency above this marks the session unhealthy (thresholds.telegram.messageLatency.critical). @default 2000 */
  maxAvgLatencyMs?: number;
  /** Reconnect backoff (recovery.backoff). @default { initialMs: 1000, maxRetries: 5, maxMs: 30000, jitter: 0.2 } */
  backoff?: { initialMs: number; maxRetries: number; maxMs: number; jitter: number };
  /** Standby authorizations for failover. @default undefined (failover impossible; recovery only) */
  pool?: TelegramSessionPool;
  /** Builds a client for a standby session string (your apiId, apiHash and options). Needed for failover. */
  createClient?: (session: string) => C;
  /** Called after a failover with the client now in use; swap your references here. */
  onFailover?: (next: C, previous: C) => void | Promise<void>;
  logger?: Logger;
  /** @internal tests */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms).unref());
// Errors recovery cannot fix: the authorization is gone or used elsewhere.
const FATAL = new Set(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'USER_DEACTIVATED', 'USER_DEACTIVATED_BAN', 'AUTH_KEY_DUPLICATED', 'SESSION_EXPIRED', 'AUTH_KEY_INVALID']);

/**
 * The spec's TelegramSessionMonitor: a health check every 5 minutes (error count, performance,
 * last used); an unhealthy session with more than 5 errors (or a fatal session error) fails
 * over to a standby from the pool, otherwise recovery runs (reconnect with backoff, verify with
 * a cheap call, restore update handlers). A scheduled failover runs every 24 hours when a pool
 * is set. Checks never overlap; timers are unref()ed.
 */
export class TelegramSessionMonitor<C extends MonitoredClient> {
  private current: C;
  private lease: TelegramSessionLease | undefined;
  private sessionIdValue: string;
  private calls = 0;
  private failures = 0;
  private latencySum = 0;
  private sessionErrors = new Set<string>();
  private lastUsedAt: number | undefined;
  private running = false;
  private timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;
  private readonly opts: Required<Pick<SessionMonitorOptions<C>, 'healthCheckIntervalMs' | 'rotationIntervalMs' | 'maxErrorsBeforeFailover' | 'maxAvgLatencyMs' | 'backoff'>>;
  /** Counts of what the monitor did, for the health snapshot. */
  readonly stats = { checks: 0, recoveries: 0, failovers: 0, lastAction: 'none' as MonitorAction, lastCheck: undefined as SessionHealth | undefined };

  constructor(private readonly options: SessionMonitorOptions<C>) {
    this.current = options.client;
    this.sessionIdValue = options.sessionId ?? 'primary';
    this.opts = {
      healthCheckIntervalMs: options.healthCheckIntervalMs ?? 5 * 60_000,
      rotationIntervalMs: options.rotationIntervalMs ?? 24 * 60 * 60_000,
      maxErrorsBeforeFailover: options.maxErrorsBeforeFailover ?? 5,
      maxAvgLatencyMs: options.maxAvgLatencyMs ?? 2000,
      backoff: options.backoff ?? { initialMs: 1000, maxRetries: 5, maxMs: 30_000, jitter: 0.2 },
    };
    this.unsubscribe = telegramEvents.on((e) => this.onEvent(e));
  }

  /** The client in use now (changes after a failover). */
  get client(): C {
    return this.current;
  }

  /** Name of the session in use (never the session string). */
  get sessionId(): string {
    return this.sessionIdValue;
  }

  /** Starts the periodic health check and the rotation schedule. */
  start(): this {
    if (this.timers.length > 0) return this;
    this.timers.push(setInterval(() => void this.checkNow(), this.opts.healthCheckIntervalMs).unref());
    if (this.opts.rotationIntervalMs > 0 && this.options.pool) {
      this.timers.push(setInterval(() => void this.exclusive(() => this.failover('scheduled')), this.opts.rotationIntervalMs).unref());
    }
    return this;
  }

  /** Stops timers and listening. */
  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe();
  }

  /** The spec's checkSessionHealth for the current window (does not reset it). */
  health(): SessionHealth {
    const errorCount = this.failures + this.sessionErrors.size;
    const avg = this.calls > 0 ? this.latencySum / this.calls : 0;
    const connected = this.current.connected !== false;
    const fatal = [...this.sessionErrors].some((c) => FATAL.has(c));
    return {
      healthy: connected && !fatal && errorCount <= this.opts.maxErrorsBeforeFailover && avg <= this.opts.maxAvgLatencyMs,
      lastUsed: this.lastUsedAt,
      errorCount,
      performance: { calls: this.calls, failures: this.failures, avgLatencyMs: Math.round(avg) },
      sessionErrors: [...this.sessionErrors],
      connected,
    };
  }

  /** Runs one health check now (what the timer does): check, then recover or fail over. */
  async checkNow(): Promise<MonitorAction> {
    return (await this.exclusive(async () => {
      const h = this.health();
      this.stats.checks += 1;
      this.stats.lastCheck = h;
      this.resetWindow();
      if (h.healthy) return 'none';
      this.options.logger?.error({ lastUsed: h.lastUsed, errorCount: h.errorCount, performance: h.performance, sessionErrors: h.sessionErrors,
        session: this.sessionIdValue }, 'unhealthy Telegram session');
      const fatal = h.sessionErrors.some((c) => FATAL.has(c));
      if ((h.errorCount > this.opts.maxErrorsBeforeFailover || fatal) && this.options.pool) return this.failover(fatal ? 'session_error' : 'errors');
      return this.recover();
    })) ?? 'none';
  }

  /**
   * The spec's recoverSession: reconnect with backoff, verify with a cheap call (getMe),
   * restore the update handlers (they live on the client, so a reconnect keeps them; they are
   * checked and re-added if the client lost them).
   */
  async recover(): Promise<MonitorAction> {
    const client = this.current;
    const handlers = [...client.listEventHandlers()];
    const { initialMs, maxRetries, maxMs, jitter } = this.opts.backoff;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 0; attempt < maxRetries; attempt++) {
      try {
        telegramCollectors().connection.recordReconnect(RECONNECT_REASON_VALUE_RECOVERY);
        await client.disconnect();
        await client.connect();
        await client.getMe();
        const now = client.listEventHandlers();
        for (const [event, cb] of handlers) {
          if (!now.some(([, c]) => c === cb)) client.addEventHandler(cb as never, event as never);
        }
        this.stats.recoveries += 1;
        this.stats.lastAction = 'recovered';
        this.options.logger?.info({ session: this.sessionIdValue, attempt: attempt + 1 }, 'Telegram session recovered');
        return 'recovered';
      } catch (err) {
        this.options.logger?.warn({ err, session: this.sessionIdValue, attempt: attempt + 1 }, 'Telegram session recovery attempt failed');
        await sleep(backoffDelay(attempt + 1, { initialMs, maxMs, jitter }));
      }
    }
    this.stats.lastAction = 'recovery_failed';
    return 'recovery_failed';
  }

  /**
   * Fails over to a standby authorization: lease one, connect and verify a new client, move the
   * update handlers, then disconnect the old client and return its lease (retired when it had a
   * fatal session error). The old and new clients use different sessions, and a session is only
   * released after its client disconnected, so no session runs in two places.
   */
  async failover(reason: string): Promise<MonitorAction> {
    const { pool, createClient } = this.options;
    if (!pool || !createClient) return 'failover_failed';
    const lease = await pool.acquire();
    if (!lease) {
      this.options.logger?.error({ reason }, 'Telegram failover impossible: no standby session is free');
      this.stats.lastAction = 'failover_failed';
      return 'failover_failed';
    }
    const previous = this.current;
    let next: C | undefined;
    try {
      next = createClient(lease.session);
      await next.connect();
      await next.getMe();
    } catch (err) {
      this.options.logger?.error({ err, reason, standby: lease.id }, 'Telegram failover: the standby session failed verification');
      try {
        await next?.disconnect();
      } catch (e) {
        reportInternalError('telegram.session-monitor', e);
      }
      await pool.release(lease, { retire: true });
      this.stats.lastAction = 'failover_failed';
      return 'failover_failed';
    }
    for (const [event, cb] of previous.listEventHandlers()) next.addEventHandler(cb as never, event as never);
    const retire = [...this.sessionErrors].some((c) => FATAL.has(c));
    const previousLease = this.lease;
    const previousId = this.sessionIdValue;
    this.current = next;
    this.lease = lease;
    this.sessionIdValue = lease.id;
    this.resetWindow();
    try {
      await previous.disconnect();
    } catch (err) {
      reportInternalError('telegram.session-monitor', err);
    }
    if (previousLease) await pool.release(previousLease, { retire });
    this.stats.failovers += 1;
    this.stats.lastAction = 'failed_over';
    this.options.logger?.warn({ reason, from: previousId, to: lease.id }, 'Telegram session failed over');
    if (this.options.onFailover) {
      try {
        await this.options.onFailover(next, previous);
      } catch (err) {
        reportInternalError('telegram.onFailover', err);
      }
    }
    return 'failed_over';
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.running) return undefined; // periodic work never overlaps
    this.running = true;
    try {
      return await fn();
    } catch (err) {
      reportInternalError('telegram.session-monitor', err);
      return undefined;
    } finally {
      this.running = false;
    }
  }

  private resetWindow(): void {
    this.calls = 0;
    this.failures = 0;
    this.latencySum = 0;
    this.sessionErrors = new Set();
  }

  private onEvent(e: TelegramEvent): void {
    if (e.client !== (this.current as object)) return;
    if (e.type === 'rpc') {
      this.calls += 1;
      this.latencySum += e.info.durationSeconds * 1000;
      this.lastUsedAt = Date.now();
      if (e.info.error !== undefined) this.failures += 1;
    } else if (e.type === 'session_error') {
      this.sessionErrors.add(e.info.code);
    }
  }
}
