import { defaultsAt } from '../../src/config/fast-parse';
import type { PulseguardConfig } from '../../src/config/types';
import { reportInternalError } from '../../src/internal/internal-errors';
import { accountOf, setAccount } from './accounts';
import { isBroken, isDestroyed, sessionKeyOf } from './client-control';
import { REAL_CLOCK, withDeadline, type MonitorClock } from './deadline';
import { telegramEvents, type TelegramEvent } from './events';
import { newLeaseOwner, processLeaseStore, type SessionLeaseStore } from './session-lease';
import type { TelegramSessionLease } from './session-pool';
import { SessionWindow } from './session-window';
import { failoverTo, type FailoverDeps } from './session-failover';
import type { MonitorAction, MonitoredClient, SessionHealth, SessionMonitorOptions } from './session-monitor-types';
import { recoverSession } from './session-recovery';

// A monitor used without start() takes the configuration schema's defaults, their one home:
// instrumentations.telegram, recovery.backoff and the critical Telegram RPC latency.
const TELEGRAM_DEFAULTS = defaultsAt<PulseguardConfig['instrumentations']['telegram']>('config', ['instrumentations', 'telegram']);
const BACKOFF_DEFAULTS = Object.freeze(defaultsAt<PulseguardConfig['recovery']['backoff']>('config', ['recovery', 'backoff']));
const LATENCY_CRITICAL_MS = defaultsAt<PulseguardConfig['thresholds']['telegram']['messageLatency']>('config', ['thresholds', 'telegram', 'messageLatency']).critical;
/** Deadline of one recovery step (not a configuration option). */
const STEP_TIMEOUT_MS = 30_000;

export type { MonitoredClient, SessionHealth, MonitorAction, SessionMonitorOptions } from './session-monitor-types';

type Settings = Required<Pick<SessionMonitorOptions<MonitoredClient>,
  'healthCheckIntervalMs' | 'rotationIntervalMs' | 'maxErrorsBeforeFailover' | 'maxAvgLatencyMs' | 'backoff' | 'stepTimeoutMs'>>;

/**
 * The spec's TelegramSessionMonitor: a health check every 5 minutes; an unhealthy session with
 * more than 5 session/connection errors (or a fatal session error) fails over to a standby from
 * the pool, otherwise recovery runs (reconnect with backoff, verify with getMe, restore update
 * handlers). Every step has a deadline, one operation runs at a time, the session's lease is
 * held while the monitor drives it, and a client the app destroyed or replaced is never revived.
 */
export class TelegramSessionMonitor<C extends MonitoredClient> {
  private current: C;
  private lease: TelegramSessionLease | undefined;
  private sessionIdValue: string;
  private readonly window = new SessionWindow();
  private timers: NodeJS.Timeout[] = [];
  private op: Promise<MonitorAction> | undefined;
  private abort: AbortController | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;
  private readonly opts: Settings;
  private readonly clock: MonitorClock;
  private readonly leases: SessionLeaseStore;
  private readonly owner = newLeaseOwner();
  private leaseKey: string | undefined;
  /** Counts of what the monitor did, for the health snapshot. */
  readonly stats = { checks: 0, recoveries: 0, failovers: 0, lastAction: 'none' as MonitorAction, lastCheck: undefined as SessionHealth | undefined };

  constructor(private readonly options: SessionMonitorOptions<C>) {
    this.current = options.client;
    this.sessionIdValue = options.sessionId ?? 'primary';
    this.clock = options.clock ?? REAL_CLOCK;
    this.leases = options.leaseStore ?? processLeaseStore;
    this.opts = {
      healthCheckIntervalMs: options.healthCheckIntervalMs ?? TELEGRAM_DEFAULTS.healthCheckIntervalMs,
      rotationIntervalMs: options.rotationIntervalMs ?? TELEGRAM_DEFAULTS.rotationIntervalMs,
      maxErrorsBeforeFailover: options.maxErrorsBeforeFailover ?? TELEGRAM_DEFAULTS.maxErrorsBeforeFailover,
      maxAvgLatencyMs: options.maxAvgLatencyMs ?? LATENCY_CRITICAL_MS,
      backoff: options.backoff ?? BACKOFF_DEFAULTS,
      stepTimeoutMs: options.stepTimeoutMs ?? STEP_TIMEOUT_MS,
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

  /** Starts the periodic health check and the rotation schedule, and takes the session's lease. */
  start(): this {
    if (this.timers.length > 0 || this.stopped) return this;
    this.timers.push(setInterval(() => void this.checkNow(), this.opts.healthCheckIntervalMs).unref());
    if (this.opts.rotationIntervalMs > 0 && this.options.pool) {
      this.timers.push(setInterval(() => void this.failover('scheduled'), this.opts.rotationIntervalMs).unref());
    }
    void this.holdLease(this.current).catch((err: unknown) => reportInternalError('telegram.session-monitor', err));
    return this;
  }

  /** Stops timers and listening, aborts a running operation and returns the session's lease. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.unsubscribe();
    this.abort?.abort();
    const key = this.leaseKey;
    this.leaseKey = undefined;
    if (key !== undefined) this.leases.release(key, this.owner).catch((err: unknown) => reportInternalError('telegram.session-monitor', err));
  }

  /** The spec's checkSessionHealth for the current window (does not reset it). */
  health(): SessionHealth {
    const w = this.window;
    const errorCount = w.rotationErrors + w.sessionErrors.size;
    const avg = w.avgLatencyMs;
    const connected = this.current.connected !== false && !isBroken(this.current);
    return {
      healthy: connected && !w.fatal && errorCount <= this.opts.maxErrorsBeforeFailover && avg <= this.opts.maxAvgLatencyMs,
      lastUsed: w.lastUsedAt,
      errorCount,
      performance: { calls: w.calls, failures: w.failures, avgLatencyMs: Math.round(avg) },
      sessionErrors: [...w.sessionErrors],
      connected,
    };
  }

  /** Runs one health check now (what the timer does): check, then recover or fail over. Joins a running operation. */
  checkNow(): Promise<MonitorAction> {
    return this.exclusive(async (signal) => {
      const h = this.health();
      this.stats.checks += 1;
      this.stats.lastCheck = h;
      const fatal = this.window.fatal;
      this.window.reset();
      if (isDestroyed(this.current)) return this.abandon('the app destroyed the client');
      if (h.healthy) {
        await this.holdLease(this.current);
        return 'none';
      }
      this.options.logger?.error({ lastUsed: h.lastUsed, errorCount: h.errorCount, performance: h.performance, sessionErrors: h.sessionErrors,
        session: this.sessionIdValue }, 'unhealthy Telegram session');
      if ((h.errorCount > this.opts.maxErrorsBeforeFailover || fatal) && this.options.pool) {
        return this.doFailover(fatal ? 'session_error' : 'errors', signal, fatal);
      }
      return this.doRecover(signal);
    });
  }

  /**
   * The spec's recoverSession: reconnect with backoff, verify with a cheap call (getMe), restore
   * update handlers the client lost. Each step has a deadline; a destroyed or replaced client is
   * left alone ('abandoned'). Joins a running operation.
   */
  recover(): Promise<MonitorAction> {
    return this.exclusive((signal) => this.doRecover(signal));
  }

  /**
   * Fails over to a standby authorization (session-failover.ts): lease one, connect and verify a
   * new client, move the update handlers, disconnect the old client, return its lease. Joins a
   * running operation.
   */
  failover(reason: string): Promise<MonitorAction> {
    return this.exclusive((signal) => this.doFailover(reason, signal, this.window.fatal));
  }

  private async doRecover(signal: AbortSignal): Promise<MonitorAction> {
    const outcome = await recoverSession(this.current, {
      backoff: this.opts.backoff, stepTimeoutMs: this.opts.stepTimeoutMs, clock: this.clock, sleep: this.options.sleep,
      logger: this.options.logger, sessionId: this.sessionIdValue, signal, holdLease: (client) => this.holdLease(client),
    });
    if (outcome.action === 'abandoned') return this.abandon(outcome.why);
    if (outcome.action === 'recovered') this.stats.recoveries += 1;
    return this.finish(outcome.action);
  }

  private async doFailover(reason: string, signal: AbortSignal, retire: boolean): Promise<MonitorAction> {
    const { pool, createClient } = this.options;
    if (!pool || !createClient) return this.finish('failover_failed');
    const deps: FailoverDeps<C> = {
      pool, createClient, leases: this.leases, owner: this.owner, clock: this.clock, stepTimeoutMs: this.opts.stepTimeoutMs,
      leaseTtlMs: this.leaseTtlMs(), logger: this.options.logger, signal,
    };
    const next = await failoverTo(deps, this.current, reason);
    if (!next) return this.finish(signal.aborted ? 'abandoned' : 'failover_failed');
    const previous = this.current;
    for (const [event, cb] of previous.listEventHandlers()) next.client.addEventHandler(cb as never, event as never);
    const alias = accountOf(previous);
    if (alias !== undefined) setAccount(next.client, alias);
    const previousLease = this.lease;
    const previousKey = this.leaseKey;
    const previousId = this.sessionIdValue;
    this.current = next.client;
    this.lease = next.lease;
    this.leaseKey = next.key;
    this.sessionIdValue = next.lease.id;
    this.window.reset();
    try {
      await withDeadline(previous.disconnect(), this.opts.stepTimeoutMs, 'disconnect', this.clock);
    } catch (err) {
      reportInternalError('telegram.session-monitor', err);
    }
    // The old session is released only after its client disconnected: it never runs twice.
    if (previousKey !== undefined) {
      await withDeadline(this.leases.release(previousKey, this.owner), this.opts.stepTimeoutMs, 'lease release', this.clock)
        .catch((err: unknown) => reportInternalError('telegram.session-monitor', err));
    }
    if (previousLease) await withDeadline(pool.release(previousLease, { retire }), this.opts.stepTimeoutMs, 'pool.release', this.clock)
      .catch((err: unknown) => reportInternalError('telegram.session-monitor', err));
    this.stats.failovers += 1;
    this.options.logger?.warn({ reason, from: previousId, to: next.lease.id }, 'Telegram session failed over');
    if (this.options.onFailover) {
      // The app's callback runs under the step deadline too: a hung one must not hold the monitor.
      const onFailover = this.options.onFailover;
      await withDeadline(Promise.resolve().then(() => onFailover(next.client, previous)), this.opts.stepTimeoutMs, 'onFailover', this.clock)
        .catch((err: unknown) => reportInternalError('telegram.onFailover', err));
    }
    return this.finish('failed_over');
  }

  /** Takes or renews the lease of the client's session; true when this monitor may drive it. */
  private async holdLease(client: C): Promise<boolean> {
    const key = sessionKeyOf(client);
    if (key === undefined) return true;
    const ok = await withDeadline(this.leases.acquire(key, this.owner, this.leaseTtlMs()), this.opts.stepTimeoutMs, 'lease', this.clock)
      .catch((err: unknown) => {
        reportInternalError('telegram.session-monitor', err);
        return false;
      });
    if (ok) this.leaseKey = key;
    return ok;
  }

  // Outlives two missed checks, so a live monitor never loses it and a dead process frees it.
  private leaseTtlMs(): number {
    return Math.max(60_000, 3 * this.opts.healthCheckIntervalMs);
  }

  private exclusive(fn: (signal: AbortSignal) => Promise<MonitorAction>): Promise<MonitorAction> {
    if (this.op) return this.op; // one operation at a time: a second caller joins it
    if (this.stopped) return Promise.resolve('none');
    const ac = new AbortController();
    this.abort = ac;
    const op = fn(ac.signal).catch((err: unknown) => {
      reportInternalError('telegram.session-monitor', err);
      return 'none' as const;
    }).finally(() => {
      this.op = undefined;
      this.abort = undefined;
    });
    this.op = op;
    return op;
  }

  private finish(action: MonitorAction): MonitorAction {
    if (action !== 'none') this.stats.lastAction = action;
    return action;
  }

  private abandon(why: string): MonitorAction {
    this.options.logger?.warn({ session: this.sessionIdValue, why }, 'Telegram session monitor let the client go');
    this.stop();
    const action = this.finish('abandoned');
    if (this.options.onAbandoned) {
      try {
        this.options.onAbandoned(this.current);
      } catch (err) {
        reportInternalError('telegram.onAbandoned', err);
      }
    }
    return action;
  }

  private onEvent(e: TelegramEvent): void {
    if (e.client !== (this.current as object)) return;
    if (e.type === 'rpc') this.window.onRpc(e.info, this.clock.now());
    else if (e.type === 'session_error') this.window.onSessionError(e.info.code);
    else if (e.type === 'destroyed') this.abort?.abort();
  }
}
