import { strict as assert } from 'node:assert';
import { Redis as IORedis, type Redis } from 'ioredis';
import { HotMetricRegistry } from '../../../../src/metrics/hot-metrics';
import { createRateLimits, type Decision, type RateLimitRegistry } from '../../../../src/limits/index';
import { pointValue, rateLimitsConfig } from '../helpers';
import { requireSharedRedis, ThrowawayRedis, uniquePrefix } from '../../../helpers/redis';
import { createLogger } from '../../../../src/logging/logger';
import { LogCapture } from '../../../helpers/log-capture';

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('RedisStore (real Redis)', () => {
  const opened: RateLimitRegistry[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((l) => l.close()));
  });

  function limitsOn(url: string, keyPrefix: string, reg: HotMetricRegistry, extra: Record<string, unknown> = {}, logs?: LogCapture): RateLimitRegistry {
    const l = createRateLimits({
      config: rateLimitsConfig({ store: 'redis', redisUrl: url, keyPrefix, policies: { 'api.shared': { points: 5, durationMs: 10_000 } }, ...extra }),
      metrics: reg,
      logger: logs ? createLogger({ destination: logs }) : undefined,
    });
    opened.push(l);
    return l;
  }

  describe('on the shared Redis 127.0.0.1:6379', () => {
    let admin: Redis;
    before(async () => {
      admin = await requireSharedRedis();
    });
    after(() => admin?.disconnect());

    it('lets two limiter instances share one quota', async () => {
      const prefix = uniquePrefix('limits-share');
      const reg = new HotMetricRegistry();
      const a = limitsOn('redis://127.0.0.1:6379', prefix, reg);
      const b = limitsOn('redis://127.0.0.1:6379', prefix, reg);
      assert.ok(await a.ready(2000));
      assert.ok(await b.ready(2000));
      const seen: Decision[] = [];
      for (let i = 0; i < 7; i++) seen.push(await (i % 2 === 0 ? a : b).consume('api.shared', 'user-1'));
      assert.deepEqual(seen.map((d) => d.allowed), [true, true, true, true, true, false, false]);
      assert.deepEqual(seen.slice(0, 5).map((d) => d.remaining), [4, 3, 2, 1, 0]);
      assert.equal(await admin.get(`${prefix}:api.shared:user-1`), '7');
      assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 0);
      await admin.del(`${prefix}:api.shared:user-1`);
    });

    it('counts through an ioredis client the app passes (typed as RedisClient), and leaves it open', async () => {
      const prefix = uniquePrefix('limits-app-client');
      const appClient = new IORedis('redis://127.0.0.1:6379');
      const l = createRateLimits({
        config: rateLimitsConfig({ store: 'redis', keyPrefix: prefix, policies: { 'api.shared': { points: 5, durationMs: 10_000 } } }),
        metrics: new HotMetricRegistry(),
        redis: appClient,
      });
      assert.ok(await l.ready(2000));
      assert.equal((await l.consume('api.shared', 'user-1')).remaining, 4);
      assert.equal(await admin.get(`${prefix}:api.shared:user-1`), '1');
      await l.close();
      assert.equal(appClient.status, 'ready', 'the app\'s client is not closed by pulseguard');
      await admin.del(`${prefix}:api.shared:user-1`);
      appClient.disconnect();
    });

    it('answers the exact Retry-After from the key TTL', async () => {
      const prefix = uniquePrefix('limits-retry');
      const l = limitsOn('redis://127.0.0.1:6379', prefix, new HotMetricRegistry());
      await l.ready(2000);
      for (let i = 0; i < 5; i++) await l.consume('api.shared', 'k');
      await new Promise((r) => setTimeout(r, 1100));
      const d = await l.consume('api.shared', 'k');
      const pttl = await admin.pttl(`${prefix}:api.shared:k`);
      assert.equal(d.allowed, false);
      assert.ok(d.resetMs >= pttl && d.resetMs - pttl < 100, `resetMs ${d.resetMs} vs PTTL ${pttl}`);
      assert.equal(d.retryAfterSeconds, Math.ceil(d.resetMs / 1000));
      assert.equal(d.retryAfterSeconds, 9, '10 s window, 1.1 s in');
      await admin.del(`${prefix}:api.shared:k`);
    });
  });

  describe('queue mode on the shared Redis', () => {
    it('counts calls that went straight through as allowed and only waiting calls as queued', async () => {
      const admin = await requireSharedRedis();
      admin.disconnect();
      const reg = new HotMetricRegistry();
      const l = limitsOn('redis://127.0.0.1:6379', uniquePrefix('limits-queue'), reg, { policies: { 'tg.send': { points: 2, durationMs: 1000, mode: 'queue' } } });
      await l.ready(2000);
      const started = Date.now();
      const all = await Promise.all([0, 1, 2].map(() => l.consume('tg.send', 'account')));
      assert.deepEqual(all.map((d) => d.outcome).sort(), ['allowed', 'allowed', 'queued']);
      const queued = all.find((d) => d.outcome === 'queued');
      assert.ok(queued && queued.allowed && (queued.waitedMs ?? 0) > 0);
      assert.ok(Date.now() - started >= 500, 'the third call waited for the next window');
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'tg.send', outcome: 'queued' }), 1);
    });
  });

  describe('insuranceDivisor', () => {
    it('gives each instance points / divisor in its insurance limiter', async () => {
      const reg = new HotMetricRegistry();
      // Port 1 refuses connections: every call goes to insurance at once.
      const l = limitsOn('redis://127.0.0.1:1', uniquePrefix('limits-div'), reg, { insuranceDivisor: 2 });
      const got: boolean[] = [];
      for (let i = 0; i < 4; i++) got.push((await l.consume('api.shared', 'u')).allowed);
      assert.deepEqual(got, [true, true, false, false]); // floor(5 / 2) = 2
      assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 4);
    });
  });

  describe('when Redis stops mid-run (throwaway redis-server)', () => {
    let redis: ThrowawayRedis;
    before(async () => {
      redis = await ThrowawayRedis.start();
    });
    after(async () => {
      await redis?.stop();
    });

    it('falls back to the insurance limiter, counts the fallbacks, never crashes, and resumes on Redis', async () => {
      const reg = new HotMetricRegistry();
      const logs = new LogCapture();
      const l = limitsOn(redis.url, uniquePrefix('limits-outage'), reg, {}, logs);
      assert.ok(await l.ready(3000));
      for (let i = 0; i < 2; i++) assert.equal((await l.consume('api.shared', 'u')).allowed, true);
      assert.equal(l.health().store.fallback, false);

      await redis.stop();
      await waitFor(() => l.degraded, 'ioredis to notice the outage');
      const during: Decision[] = [];
      for (let i = 0; i < 6; i++) during.push(await l.consume('api.shared', 'u'));
      // The insurance limiter starts from the last count Redis gave (2 of 5) and enforces the policy in-process.
      assert.deepEqual(during.map((d) => d.outcome), ['allowed', 'allowed', 'allowed', 'throttled', 'throttled', 'throttled']);
      assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 6);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.shared', outcome: 'store_error' }), 0);
      assert.equal(l.health().store.fallback, true, 'the fallback /health/rate-limits degrades on');

      await redis.restart();
      await waitFor(() => !l.degraded, 'ioredis to reconnect', 8000);
      const after = await l.consume('api.shared', 'u');
      assert.equal(after.allowed, true);
      assert.equal(after.remaining, 4, 'counting resumed in the (restarted, empty) Redis');
      assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 6, 'no fallback once Redis is back');
      const lines = logs.json().map((j) => j.msg);
      assert.equal(lines.filter((m) => /Redis unreachable/.test(String(m))).length, 1, 'one warning per outage, not one per reconnect attempt');
      assert.ok(lines.some((m) => /reachable again/.test(String(m))));
    });

    it('without insurance, decides by onStoreError and counts store_error', async () => {
      const reg = new HotMetricRegistry();
      if (!redis.running) await redis.restart();
      const open = limitsOn(redis.url, uniquePrefix('limits-noins'), reg, { insurance: false, onStoreError: 'allow' });
      const closed = limitsOn(redis.url, uniquePrefix('limits-noins'), reg, { insurance: false, onStoreError: 'deny' });
      await open.ready(3000);
      await closed.ready(3000);
      await redis.stop();
      await waitFor(() => open.degraded && closed.degraded, 'ioredis to notice the outage');
      const a = await open.consume('api.shared', 'u');
      const b = await closed.consume('api.shared', 'u');
      assert.deepEqual([a.allowed, a.outcome, a.reason], [true, 'store_error', 'store_error']);
      assert.deepEqual([b.allowed, b.outcome, b.retryAfterSeconds], [false, 'store_error', 1]);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.shared', outcome: 'store_error' }), 2);
    });
  });
});
