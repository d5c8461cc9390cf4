import type { RedisClient } from '../internal/redis-client';
import type { PulseguardConfig } from '../config/types';
import type { Logger } from '../logging/logger';
import { FleetGate } from '../alerting/fleet/fleet-gate';
import { systemClock } from '../alerting/types';

type AlertingConfig = PulseguardConfig['alerting'];

/** What the alerting area hands over to build the fleet gate. */
export interface FleetGateSettings {
  keyPrefix: string;
  stateTtlMs: number;
  service: string;
  claimTimeoutMs: number;
  matrix: AlertingConfig['matrix'];
  logger: Logger;
}

/**
 * The fleet de-duplication gate over the rate limiter's Redis client (one connection for both;
 * ioredis stays an optional peer, loaded by the limiter's Redis store). The schema already
 * requires `rateLimits.store: "redis"`; a limiter without Redis here is a wiring error.
 */
export function createFleetGate(client: RedisClient | undefined, s: FleetGateSettings): FleetGate {
  if (client === undefined) throw new Error('alerting.fleet needs rateLimits.store "redis": the rate limiter has no Redis client');
  return new FleetGate({
    client, keyPrefix: s.keyPrefix, service: s.service, ttlMs: s.stateTtlMs, timeoutMs: s.claimTimeoutMs,
    repeatIntervalMs: (level) => s.matrix[level].repeatIntervalMs, clock: systemClock, logger: s.logger,
  });
}
