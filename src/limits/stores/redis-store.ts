import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract } from '../rate-limiter-flexible';
import type { Logger } from '../../logging/logger';
import type { LimiterStore, RateLimitPolicy } from '../types';
import { InsuranceLimiter } from './insured-store';
import { loadOptionalPeer } from '../../internal/optional-peer';
import type { RedisClient } from '../../internal/redis-client';
import { CircuitBreaker, type BreakerState } from './circuit-breaker';
import { createGuardedRedisLimiter, StoreGuard } from './guarded-redis-limiter';

/** Options of {@link RedisStore}. @internal */
export interface RedisStoreOptions {
  url: string;
  /** A client owned by the application (not closed here). */
  client?: RedisClient;
  keyPrefix: string;
  /** A command (and a decision) slower than this is a store failure; the fallback answers. */
  commandTimeoutMs: number;
  /** Consecutive store failures that open the circuit breaker. */
  breakerFailures: number;
  /** How long the breaker stays open before one decision probes Redis. */
  breakerOpenMs: number;
  /** Keys per policy whose last Redis count seeds the fallback. */
  rememberKeys: number;
  insurance: boolean;
  /** Insurance points are the policy's divided by this (at least 1). */
  insuranceDivisor: number;
  /** Called once per fallback decision, with the policy name. */
  onFallback: (policy: string) => void;
  logger?: Logger;
  now?: () => number;
}

/**
 * Counters in Redis (rate-limiter-flexible's RateLimiterRedis over ioredis), shared by every
 * instance of a fleet. Every decision is bounded by `commandTimeoutMs` and passes one circuit
 * breaker shared by the policies (one Redis, one verdict on its health): while Redis fails or
 * hangs, an {@link InsuranceLimiter} per fail-open policy answers, starting from the last counts
 * Redis gave, and fail-closed policies are denied at once.
 *
 * @internal
 */
export class RedisStore implements LimiterStore {
  readonly kind = 'redis' as const;
  readonly client: Redis;
  private readonly owned: boolean;
  private outageLogged = false;
  private closed = false;
  /** One breaker for every policy: they share the connection, so they share its failures. */
  readonly breaker: CircuitBreaker;

  constructor(private readonly opts: RedisStoreOptions) {
    this.owned = opts.client === undefined;
    this.client =
      // The app's client is an ioredis one by contract (the public type is structural only so
      // that it compiles without ioredis installed).
      (opts.client as Redis | undefined) ??
      // ioredis is an optional peer, loaded only when the Redis store is configured.
      new (loadOptionalPeer<typeof IORedis>('ioredis').Redis)(opts.url, {
        // Fail fast instead of queueing commands while disconnected: a queued command would hold
        // the caller until Redis returns, where the insurance limiter can answer at once.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        commandTimeout: opts.commandTimeoutMs,
        retryStrategy: (times) => Math.min(times * 100, 2000),
        connectionName: 'pulseguard-ratelimit',
      });
    // ioredis prints an "Unhandled error event" for every failed reconnect without a listener.
    const outage = (err?: Error): void => {
      if (this.outageLogged || this.closed) return;
      this.outageLogged = true;
      opts.logger?.warn({ err }, 'rate-limit Redis unreachable; in-process insurance limiters answer until it returns');
    };
    this.client.on('error', (err: Error) => outage(err));
    // A server that shuts down cleanly closes the connection without an error event, and the
    // reconnect may succeed before one fails: the outage starts when the connection is lost.
    this.client.on('close', () => outage());
    this.client.on('ready', () => {
      if (this.outageLogged) opts.logger?.info('rate-limit Redis reachable again');
      this.outageLogged = false;
      // A fresh connection answered its handshake: no need to wait for a probe.
      this.breaker.success();
    });
    this.breaker = new CircuitBreaker({
      failureThreshold: opts.breakerFailures,
      openMs: opts.breakerOpenMs,
      now: opts.now ?? Date.now,
      onChange: (state) => this.onBreaker(state),
    });
  }

  private onBreaker(state: BreakerState): void {
    if (this.closed) return;
    const log = this.opts.logger;
    if (state === 'open' && !this.outageLogged) {
      this.outageLogged = true;
      log?.warn({ timeoutMs: this.opts.commandTimeoutMs, failures: this.opts.breakerFailures, retryMs: this.opts.breakerOpenMs },
        'rate-limit Redis failing or not answering; circuit open, decisions answered in-process');
    } else if (state === 'closed' && this.client.status === 'ready' && this.outageLogged) {
      this.outageLogged = false;
      log?.info('rate-limit Redis answering again; circuit closed');
    }
  }

  /** True while Redis is not connected, the breaker is not closed, or the last call to Redis failed. */
  get degraded(): boolean {
    return this.client.status !== 'ready' || this.breaker.state !== 'closed' || this.breaker.failing;
  }

  createLimiter(name: string, policy: RateLimitPolicy): RateLimiterAbstract {
    // Redis keeps whole-second TTLs (the Lua script floors); round up so a window never vanishes.
    const duration = Math.max(1, Math.ceil(policy.durationMs / 1000));
    // A fail-closed policy gets no insurance: an in-process count would grant what Redis denied.
    const insurance = this.opts.insurance && policy.onStoreError !== 'deny'
      ? new InsuranceLimiter(
          { keyPrefix: `insurance:${name}`, points: Math.max(1, Math.floor(policy.points / this.opts.insuranceDivisor)), duration },
          () => this.opts.onFallback(name),
        )
      : undefined;
    const guard = new StoreGuard({
      // Our client times its commands out itself (commandTimeout); an application's client may not.
      breaker: this.breaker, timeoutMs: this.owned ? undefined : this.opts.commandTimeoutMs, insurance, divisor: this.opts.insuranceDivisor,
      rememberKeys: this.opts.rememberKeys, now: this.opts.now ?? Date.now,
    });
    return createGuardedRedisLimiter({
      storeClient: this.client,
      keyPrefix: `${this.opts.keyPrefix}:${name}`,
      points: policy.points,
      duration,
      // Without it a command waits in ioredis while Redis is down instead of failing over.
      rejectIfRedisNotReady: true,
    }, guard);
  }

  /** Resolves when Redis is ready, or after `timeoutMs` (insurance answers until then). */
  async ready(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(ok);
      };
      const onReady = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      this.client.on('ready', onReady);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) return;
    // quit() resolves on the server's OK, before the socket is gone; wait for "end" so that
    // shutdown() returns with the connection really closed.
    const ended = this.client.status === 'end' ? Promise.resolve() : new Promise<void>((resolve) => this.client.once('end', () => resolve()));
    if (this.client.status === 'ready') {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    } else {
      // Nobody to say goodbye to: stop reconnecting. ioredis may not emit "end" from here.
      this.client.disconnect();
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([ended, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500).unref()))]);
    clearTimeout(timer);
  }
}
