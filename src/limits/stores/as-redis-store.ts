import type { LimiterStore } from '../types';
import type { RedisStore } from './redis-store';

/**
 * `store` as the Redis store when it is one. By its kind, not `instanceof`: code that asks (the
 * registry, the journal, Telegram's session leases) then does not load the Redis store and its
 * guards, which a memory configuration never uses.
 */
export function asRedisStore(store: LimiterStore): RedisStore | undefined {
  return store.kind === 'redis' ? (store as RedisStore) : undefined;
}
