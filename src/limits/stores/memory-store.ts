import { RateLimiterMemory, type RateLimiterAbstract } from '../rate-limiter-flexible';
import type { LimiterStore, RateLimitPolicy } from '../types';

/**
 * Counters in this process (rate-limiter-flexible's RateLimiterMemory): the default, right for a
 * single instance. Keys expire lazily with their window.
 *
 * @internal
 */
export class MemoryStore implements LimiterStore {
  readonly kind = 'memory' as const;

  createLimiter(name: string, policy: RateLimitPolicy): RateLimiterAbstract {
    return new RateLimiterMemory({ keyPrefix: name, points: policy.points, duration: policy.durationMs / 1000 });
  }

  async close(): Promise<void> {}
}
