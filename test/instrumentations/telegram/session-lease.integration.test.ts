import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { Api } from 'telegram';
import {
  METRIC_TELEGRAM_UPDATES_AGE, METRIC_TELEGRAM_UPDATES_DELAY, TelegramSessionMonitor, createRedisLeaseStore,
} from '../../../instrumentations/telegram/index';
import { createTelegramTelemetry } from '../../../instrumentations/telegram/telegram-telemetry';
import { requireSharedRedis, uniquePrefix } from '../../helpers/redis';
import { collectMetrics, fakeClient, instrument, metricValue } from './harness';
import { until } from '../../helpers/poll';

describe('Telegram session leases (Redis)', () => {
  let redis: Redis;
  before(async () => {
    redis = await requireSharedRedis();
  });
  after(() => {
    redis.disconnect();
  });

  it('refuses to recover a session whose lease another process holds', async () => {
    instrument();
    const prefix = `${uniquePrefix('tg-lease')}:`;
    const env = fakeClient();
    await env.client.connect();
    // Two monitors with their own owners stand for two processes sharing one Redis.
    const first = new TelegramSessionMonitor({ client: env.client, leaseStore: createRedisLeaseStore(redis, prefix), sleep: async () => {} });
    const second = new TelegramSessionMonitor({ client: env.client, leaseStore: createRedisLeaseStore(redis, prefix), sleep: async () => {} });
    try {
      assert.equal(await first.checkNow(), 'none'); // healthy: takes and holds the lease
      await env.client.disconnect();
      assert.equal(await second.recover(), 'recovery_failed');
      assert.equal(env.client.connected, false, 'the second process did not connect the session');
      assert.equal(await first.recover(), 'recovered');
    } finally {
      first.stop();
      second.stop();
      await env.client.destroy();
      env.telegram.close();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
});

describe('Telegram accounts', () => {
  it('labels updates with the account alias, keeps a staleness point per account and measures update delay', async () => {
    instrument();
    const env = fakeClient();
    await env.client.connect();
    const telegram = createTelegramTelemetry();
    try {
      assert.throws(() => telegram.account(env.client, '+14155552671'), /never a phone number/);
      assert.equal(telegram.account(env.client, 'sales-bot'), 'sales-bot');
      await env.client.invoke(new Api.updates.GetState());
      const delays = await metricValue(METRIC_TELEGRAM_UPDATES_DELAY, { 'telegram.account': 'sales-bot' });
      env.dc.pushUpdate(new Api.UpdateShort({
        update: new Api.UpdateUserTyping({ userId: 5n as never, action: new Api.SendMessageTypingAction() }), date: Math.floor(Date.now() / 1000) - 30,
      }));
      await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATES_DELAY, { 'telegram.account': 'sales-bot' })) === delays + 1, 'the update delay', 3000);
      const m = (await collectMetrics()).find((x) => x.descriptor.name === METRIC_TELEGRAM_UPDATES_DELAY);
      const point = m?.dataPoints.find((p) => p.attributes['telegram.account'] === 'sales-bot');
      assert.ok(point && (point.value as { sum: number }).sum >= 29, 'delay from the update\'s own date');
      const age = (await collectMetrics()).find((x) => x.descriptor.name === METRIC_TELEGRAM_UPDATES_AGE);
      assert.ok(age?.dataPoints.some((p) => p.attributes['telegram.account'] === 'sales-bot'));
    } finally {
      telegram.close();
      await env.client.destroy();
      env.telegram.close();
    }
  });
});
