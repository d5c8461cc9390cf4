import type { RateLimiterAbstract, RateLimiterRes } from '../rate-limiter-flexible';
import { loadRateLimiterRedis, RateLimiterRes as RateLimiterResClass } from '../rate-limiter-flexible';
import type { CircuitBreaker } from './circuit-breaker';
import type { InsuranceLimiter } from './insured-store';
import { LastKnownCounts } from './last-known-counts';

/** A decision the store did not answer within the decision timeout. @internal */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError';
}

/** The breaker is open: the store is not asked. @internal */
export class StoreCircuitOpenError extends Error {
  override readonly name = 'StoreCircuitOpenError';
}

/** What one policy's guard needs. @internal */
export interface StoreGuardOptions {
  breaker: CircuitBreaker;
  /**
   * A store call slower than this is a failure (the caller gets the fallback's answer). Undefined
   * when the client bounds its commands itself (pulseguard's own client has ioredis'
   * `commandTimeout`), which spares a timer per decision.
   */
  timeoutMs: number | undefined;
  /** The fail-open fallback; undefined: a failure rejects (the registry applies onStoreError). */
  insurance: InsuranceLimiter | undefined;
  /** The insurance allows points / divisor, so a seeded count is divided the same way. */
  divisor: number;
  /** Keys whose last Redis count is remembered. */
  rememberKeys: number;
  now: () => number;
}

/**
 * One policy's calls to Redis behind the store's circuit breaker and decision timeout, with the
 * fallback seeded from the last counts Redis answered. Every answer from Redis (allowed or over
 * the limit) is remembered per key; the first fallback decision of a key in an outage starts the
 * in-process count from that number instead of from zero.
 *
 * @internal
 */
export class StoreGuard {
  private readonly known: LastKnownCounts;
  private readonly onAnswer: (key: string) => (res: RateLimiterRes) => RateLimiterRes;

  constructor(private readonly opts: StoreGuardOptions) {
    this.known = new LastKnownCounts(opts.rememberKeys);
    this.onAnswer = (key) => (res) => {
      this.opts.breaker.success();
      this.known.remember(key, res.consumedPoints, this.opts.now() + Math.max(0, res.msBeforeNext));
      return res;
    };
  }

  consume(key: string | number, points: number, viaStore: () => Promise<RateLimiterRes>): Promise<RateLimiterRes> {
    const k = String(key);
    if (!this.opts.breaker.tryStore()) return this.fallback(k, points, new StoreCircuitOpenError('rate-limit store circuit open'));
    const remember = this.onAnswer(k);
    return this.timed(viaStore()).then(remember, (rej: unknown) => {
      // Over the limit is an answer from the store, not a failure.
      if (rej instanceof RateLimiterResClass) throw remember(rej);
      this.opts.breaker.failure();
      return this.fallback(k, points, rej);
    });
  }

  get(key: string | number, viaStore: () => Promise<RateLimiterRes | null>): Promise<RateLimiterRes | null> {
    const k = String(key);
    if (!this.opts.breaker.tryStore()) return this.fallbackGet(k, new StoreCircuitOpenError('rate-limit store circuit open'));
    return this.timed(viaStore()).then(
      (res) => {
        this.opts.breaker.success();
        return res;
      },
      (err: unknown) => {
        this.opts.breaker.failure();
        return this.fallbackGet(k, err);
      },
    );
  }

  private fallback(key: string, points: number, cause: unknown): Promise<RateLimiterRes> {
    const insurance = this.opts.insurance;
    if (insurance === undefined) return Promise.reject(cause);
    this.seed(insurance, key);
    return insurance.consume(key, points);
  }

  private fallbackGet(key: string, cause: unknown): Promise<RateLimiterRes | null> {
    const insurance = this.opts.insurance;
    if (insurance === undefined) return Promise.reject(cause);
    this.seed(insurance, key);
    return insurance.get(key);
  }

  private seed(insurance: InsuranceLimiter, key: string): void {
    const known = this.known.takeSeed(key);
    if (known === undefined) return;
    const leftMs = known.resetAt - this.opts.now();
    // The window Redis knew of is over: the fallback starts a fresh one, as Redis would.
    if (leftMs <= 0) void insurance.delete(key);
    else void insurance.set(key, Math.ceil(known.consumed / this.opts.divisor), leftMs / 1000);
  }

  private timed<T>(call: Promise<T>): Promise<T> {
    const ms = this.opts.timeoutMs;
    if (ms === undefined) return call;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new StoreTimeoutError(`rate-limit store did not answer within ${ms} ms`)), ms);
      call.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          reject(e);
        },
      );
    });
  }
}

type RedisLimiterOptions = ConstructorParameters<ReturnType<typeof loadRateLimiterRedis>>[0];
type GuardedRedisLimiterClass = new (options: RedisLimiterOptions, guard: StoreGuard) => RateLimiterAbstract;
let guardedClass: GuardedRedisLimiterClass | undefined;

/**
 * rate-limiter-flexible's RateLimiterRedis with its consume() and get() behind a {@link StoreGuard}.
 * A subclass (not a wrapper) because RateLimiterQueue calls those two methods on the limiter it is
 * given. Defined on first use: RateLimiterRedis is loaded only when the Redis store is configured.
 *
 * @internal
 */
export function createGuardedRedisLimiter(options: RedisLimiterOptions, guard: StoreGuard): RateLimiterAbstract {
  guardedClass ??= class GuardedRedisLimiter extends loadRateLimiterRedis() {
    constructor(opts: RedisLimiterOptions, private readonly guard: StoreGuard) {
      super(opts);
    }

    override consume(key: string | number, points = 1, opts: { [key: string]: unknown } = {}): Promise<RateLimiterRes> {
      return this.guard.consume(key, points, () => super.consume(key, points, opts));
    }

    override get(key: string | number, opts: { [key: string]: unknown } = {}): Promise<RateLimiterRes | null> {
      return this.guard.get(key, () => super.get(key, opts));
    }
  };
  return new guardedClass(options, guard);
}
