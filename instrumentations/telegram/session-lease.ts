import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../src/internal/redis-client';

/**
 * Exclusive leases on Telegram sessions (one auth key = one session). Telegram punishes two
 * live connections on one auth key with AUTH_KEY_DUPLICATED, so the session monitor holds the
 * lease of the session it drives and takes a standby's lease before connecting it. The memory
 * store covers one process; the Redis store (used when `rateLimits.store` is `redis`) covers a
 * fleet. Keys are hashes of the auth key, never the session string.
 */
export interface SessionLeaseStore {
  /** Takes the lease of `key` for `owner`, or renews it when `owner` holds it; false when someone else does. */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back (only when `owner` holds it). */
  release(key: string, owner: string): Promise<void>;
}

/** A process-local lease store (lazy expiry; no timer per key). */
export function createMemoryLeaseStore(now: () => number = Date.now): SessionLeaseStore {
  const leases = new Map<string, { owner: string; expiresAt: number }>();
  return {
    async acquire(key, owner, ttlMs) {
      const t = now();
      const held = leases.get(key);
      if (held && held.owner !== owner && held.expiresAt > t) return false;
      leases.set(key, { owner, expiresAt: t + ttlMs });
      return true;
    },
    async release(key, owner) {
      if (leases.get(key)?.owner === owner) leases.delete(key);
    },
  };
}

// Renew only our own lease: compare-and-set in one round trip.
const ACQUIRE = `local v = redis.call('get', KEYS[1])
if v == false then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if v == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/**
 * Leases in Redis, shared by every process of a fleet. A Redis failure refuses the lease
 * (rejects): the monitor then does not connect, because connecting without knowing is how a
 * session ends up running twice.
 */
export function createRedisLeaseStore(client: Pick<RedisClient, 'eval'>, keyPrefix = 'pulseguard:tg:lease:'): SessionLeaseStore {
  return {
    async acquire(key, owner, ttlMs) {
      return (await client.eval(ACQUIRE, 1, keyPrefix + key, owner, String(Math.max(1, Math.round(ttlMs))))) === 1;
    },
    async release(key, owner) {
      await client.eval(RELEASE, 1, keyPrefix + key, owner);
    },
  };
}

/** The process-wide store the monitors share unless one is configured. */
export const processLeaseStore: SessionLeaseStore = createMemoryLeaseStore();

/** A lease owner id: this process plus a counter, safe to log. */
export function newLeaseOwner(): string {
  return `${process.pid}:${randomUUID()}`;
}
