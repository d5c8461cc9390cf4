import { strict as assert } from 'node:assert';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { start, getTelemetry } from '../../../src/index';
import type { RateLimitRegistry } from '../../../src/limits/index';
import { RedisStore } from '../../../src/limits/stores/redis-store';
import { requireSharedRedis, uniquePrefix } from '../../helpers/redis';

describe('telemetry.limits', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('is wired into start(): decisions reach telemetry.collect() as ratelimit.decisions', async () => {
    const t = await start({
      service: { name: 'limits-wiring' },
      exporters: { prometheus: { enabled: false } },
      logging: { level: 'silent' },
      rateLimits: { policies: { 'app.wiring': { points: 1, durationMs: 60_000 } } },
    });
    assert.equal(t.limits.storeKind, 'memory');
    assert.equal((await t.limits.consume('app.wiring', 'k')).allowed, true);
    assert.equal((await t.limits.consume('app.wiring', 'k')).outcome, 'throttled');
    const rm = await t.collect();
    const m = rm.scopeMetrics.flatMap((s) => s.metrics).find((x) => x.descriptor.name === 'ratelimit.decisions');
    assert.ok(m, 'ratelimit.decisions is collected');
    assert.equal(m.descriptor.unit, '{decision}');
    assert.equal(m.dataPointType, DataPointType.SUM);
    const value = (outcome: string) => m.dataPoints.find((p) => p.attributes['ratelimit.policy'] === 'app.wiring' && p.attributes.outcome === outcome)?.value;
    assert.equal(value('allowed'), 1);
    assert.equal(value('throttled'), 1);
  });

  it('uses Redis when configured and closes the connection on shutdown', async () => {
    const admin = await requireSharedRedis();
    admin.disconnect();
    const t = await start({
      service: { name: 'limits-redis' },
      exporters: { prometheus: { enabled: false } },
      logging: { level: 'silent' },
      rateLimits: { store: 'redis', keyPrefix: uniquePrefix('limits-start') },
    });
    assert.equal(t.limits.storeKind, 'redis');
    const store = (t.limits as RateLimitRegistry).store;
    assert.ok(store instanceof RedisStore);
    assert.equal(store.client.status, 'ready', 'start() waited for Redis');
    assert.equal((await t.limits.consume('api.auth', 'user')).remaining, 4);
    await t.shutdown();
    assert.equal(store.client.status, 'end');
  });
});
