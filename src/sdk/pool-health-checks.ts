import type { Health } from '../health/types';
import type { DbApi } from '../../instrumentations/pg/types';
import type { PgPoolInternals } from '../../instrumentations/pg/internal-types';
import type { PoolListener } from '../../instrumentations/pg/metrics/pool-collector';

/**
 * Registers a /health check per pool the pg instrumentation reports, named
 * `database:<db.client.connection.pool.name>` (`database:127.0.0.1:5432/app`), so an app with a
 * pg Pool shows its database in /health without code. A pool is seen at its first connect (any
 * query), and its check goes when the pool ends. Two pools with one name get `#2`, `#3`...
 * Returns the function that removes them all and stops following pools.
 */
export function registerPoolHealthChecks(
  health: Health,
  db: DbApi,
  watch: (listener: PoolListener) => () => void,
): () => void {
  const unregister = new Map<PgPoolInternals, () => void>();
  const taken = new Set<string>();
  const stop = watch({
    tracked(pool, poolName) {
      if (unregister.has(pool)) return;
      let name = `database:${poolName}`;
      for (let n = 2; taken.has(name); n++) name = `database:${poolName}#${n}`;
      const off = health.register(name, () => db.healthCheck(pool), { componentType: 'datastore' });
      taken.add(name);
      unregister.set(pool, () => {
        off();
        taken.delete(name);
      });
    },
    untracked(pool) {
      unregister.get(pool)?.();
      unregister.delete(pool);
    },
  });
  return () => {
    stop();
    for (const off of unregister.values()) off();
    unregister.clear();
  };
}
