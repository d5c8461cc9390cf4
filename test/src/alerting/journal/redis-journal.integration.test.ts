import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { start } from '../../../../src/index';
import { requireSharedRedis, uniquePrefix } from '../../../helpers/redis';
import { TempDir } from '../../../helpers/temp-dir';

describe('alert journal in Redis (when the limits use Redis)', function () {
  this.timeout(30_000);
  let redis: Redis;
  let dir: TempDir;
  before(async () => { redis = await requireSharedRedis(); });
  after(() => redis.disconnect());
  beforeEach(() => { dir = new TempDir(); });
  afterEach(() => dir.cleanup());

  it('keeps the journal under the limits key prefix and restores from it at the next start', async () => {
    const keyPrefix = uniquePrefix('journal');
    const config = {
      service: { name: 'redis-journal' },
      exporters: { prometheus: { enabled: false } },
      logging: { level: 'silent' as const },
      rateLimits: { store: 'redis' as const, keyPrefix },
      alerting: { journal: { dir: dir.path } },
    };
    try {
      const first = await start(config);
      const id = first.notifications.silence([{ name: 'alertname', value: 'DiskFull' }], new Date(Date.now() + 3_600_000), 'disk swap');
      await first.shutdown();
      const text = await redis.get(`${keyPrefix}:journal:redis-journal`);
      assert.ok(text, 'the journal is in Redis');
      assert.match(text, /"DiskFull"/);
      assert.deepEqual(readdirSync(dir.path), [], 'and not in a file');

      const second = await start(config);
      try {
        const silences = second.notifications.silences.active(Date.now());
        assert.deepEqual(silences.map((s) => [s.id, s.matchers[0].value, s.comment]), [[id, 'DiskFull', 'disk swap']]);
      } finally {
        await second.shutdown();
      }
    } finally {
      await redis.del(`${keyPrefix}:journal:redis-journal`);
    }
  });
});
