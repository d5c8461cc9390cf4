import type { PulseguardConfig } from '../../config/types';
import { AlertJournal } from '../../alerting/journal/alert-journal';
import { FileJournalStore } from '../../alerting/journal/file-journal-store';
import type * as RedisJournalStoreModule from '../../alerting/journal/redis-journal-store';
import type { JournalStore } from '../../alerting/journal/journal-store';
import { asRedisStore } from '../../limits/stores/as-redis-store';
import { defineArea } from '../area';

/**
 * The alert journal (`alerting.journal`), read before the evaluator, the dispatcher and the
 * errors area are built so each restores its section before anything runs; it writes from
 * start() on, and once more when it stops, after those areas stopped (so what the dispatcher
 * could not deliver at shutdown is in it). In Redis when the limits use Redis, else a file.
 */
export const journalArea = defineArea({
  name: 'journal',
  settings: (c: PulseguardConfig) => (c.alerting.journal.enabled
    ? { ...c.alerting.journal, name: c.alerting.journal.name ?? c.service.name.replace(/[^A-Za-z0-9._-]/g, '_'), keyPrefix: c.rateLimits.keyPrefix,
      readyTimeoutMs: Math.min(2000, c.shutdown.flushTimeoutMs) }
    : undefined),
  async create(ctx) {
    const s = ctx.config;
    if (!s) return { handle: undefined };
    let store: JournalStore;
    const redis = asRedisStore(ctx.limiter.store);
    if (redis) {
      // Areas are built before any starts: wait (bounded, as the limits do) for the connection
      // the journal is read through.
      await ctx.limiter.ready(s.readyTimeoutMs);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- only with the Redis store
      store = new (require('../../alerting/journal/redis-journal-store') as typeof RedisJournalStoreModule).RedisJournalStore(redis.client, `${s.keyPrefix}:journal:${s.name}`);
    } else {
      store = new FileJournalStore(s.dir, s.name);
    }
    const journal = new AlertJournal({ store, maxBytes: s.maxBytes, writeIntervalMs: s.writeIntervalMs, logger: ctx.logger, now: () => ctx.clock.now() });
    await journal.load();
    return {
      handle: journal,
      start: () => journal.start(),
      stop: () => journal.stop(),
    };
  },
});
