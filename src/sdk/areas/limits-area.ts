import type { PulseguardConfig } from '../../config/types';
import { createRateLimits } from '../../limits/limiter-registry';
import { defineArea } from '../area';

/** The one limiter (src/limits): its policies, its store (memory or Redis) and its metrics. */
export const limitsArea = defineArea({
  name: 'limits',
  logName: 'ratelimit',
  settings: (c: PulseguardConfig) => ({
    rateLimits: c.rateLimits,
    // Bounded: until Redis answers, the insurance limiters do.
    readyTimeoutMs: Math.min(2000, c.shutdown.flushTimeoutMs),
  }),
  create(ctx) {
    const limits = createRateLimits({ config: ctx.config.rateLimits, logger: ctx.logger, metrics: ctx.metrics });
    return {
      handle: limits,
      async start() {
        await limits.ready(ctx.config.readyTimeoutMs);
      },
      stop: () => limits.close(),
    };
  },
});
