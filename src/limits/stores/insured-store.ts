import { RateLimiterMemory, type IRateLimiterOptions, type RateLimiterRes } from '../rate-limiter-flexible';

/**
 * The in-process limiter a fail-open policy falls back to when the shared store fails, hangs or
 * its circuit breaker is open (the `StoreGuard` of guarded-redis-limiter.ts calls it, seeded
 * with the last counts Redis gave). It is a RateLimiterMemory that reports each fallback, so a
 * Redis outage shows up in `ratelimit.store.fallbacks` instead of passing silently. Every
 * instance keeps its own counts while it answers, so a fleet of N instances admits up to N times
 * the policy during an outage unless `insuranceDivisor` is set.
 *
 * @internal
 */
export class InsuranceLimiter extends RateLimiterMemory {
  constructor(opts: IRateLimiterOptions, private readonly onFallback: () => void) {
    super(opts);
  }

  override consume(key: string | number, pointsToConsume?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.onFallback();
    return super.consume(key, pointsToConsume, options);
  }

  override get(key: string | number, options?: { [key: string]: unknown }): Promise<RateLimiterRes | null> {
    this.onFallback();
    return super.get(key, options);
  }

  override reward(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    this.onFallback();
    return super.reward(key, points, options);
  }
}
