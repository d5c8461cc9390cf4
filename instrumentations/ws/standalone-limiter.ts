import { DEFAULT_POLICIES } from '../../src/config/schema/default-policies';
import { parseAt } from '../../src/config/fast-parse';
import type { PulseguardConfig } from '../../src/config/types';
import { createRateLimits, type RateLimitRegistry } from '../../src/limits/limiter-registry';
import { POLICY_WS_MESSAGES, POLICY_WS_NEW_CONNECTIONS } from '../../src/limits/semconv';
import type { WsLimits } from './types';

/** A limit the caller lifted (Infinity) is as good as none: the largest count the schema takes. */
function count(n: number): number {
  return Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

/**
 * The limiter of a ws instrumentation used without start(): a memory RateLimitRegistry whose
 * WebSocket policies are `limits` over the configuration schema's defaults (the schema is the
 * only home of those numbers). @internal
 */
export function createStandaloneLimiter(limits: Partial<WsLimits>): RateLimitRegistry {
  const msg = DEFAULT_POLICIES[POLICY_WS_MESSAGES];
  const conn = DEFAULT_POLICIES[POLICY_WS_NEW_CONNECTIONS];
  const maxSize = limits.maxMessageBytes ?? msg.maxSizeBytes;
  const config = parseAt<PulseguardConfig['rateLimits']>('config', {
    policies: {
      [POLICY_WS_MESSAGES]: {
        points: count(limits.messages ?? msg.points),
        durationMs: limits.messagesWindowMs ?? msg.durationMs,
        ...(Number.isFinite(maxSize) ? { maxSizeBytes: maxSize } : {}),
      },
      [POLICY_WS_NEW_CONNECTIONS]: { points: count(limits.newConnections ?? conn.points), durationMs: limits.newConnectionsWindowMs ?? conn.durationMs },
    },
    websocketConnections: {
      ...(limits.perUser !== undefined ? { perUser: count(limits.perUser) } : {}),
      ...(limits.total !== undefined ? { total: count(limits.total) } : {}),
    },
  }, ['rateLimits']);
  return createRateLimits({ config });
}
