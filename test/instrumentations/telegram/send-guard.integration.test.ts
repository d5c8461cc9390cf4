import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { getTelemetry, start } from '../../../src/index';
import { createRateLimits } from '../../../src/limits/index';
import { rateLimitsConfig } from '../../src/limits/helpers';
import { requireSharedRedis, uniquePrefix } from '../../helpers/redis';
import { POLICY_MESSAGES, SendGuardError, TelegramSendGuard } from '../../../instrumentations/telegram/index';

const throttled = (e: unknown) => e instanceof SendGuardError && e.code === 'THROTTLED';

describe('telemetry.telegram.sendGuard() (real Redis)', () => {
  let admin: Redis;
  before(async () => {
    admin = await requireSharedRedis();
  });
  after(() => admin?.disconnect());
  afterEach(async () => getTelemetry()?.shutdown());

  it('applies a configured telegram.messagesSent policy through the Redis store, shared by every instance', async () => {
    const keyPrefix = uniquePrefix('sendguard');
    const rateLimits = { store: 'redis' as const, keyPrefix, policies: { [POLICY_MESSAGES]: { points: 2, durationMs: 60_000 } } };
    const t = await start({ service: { name: 'sendguard-redis' }, exporters: { prometheus: { enabled: false } }, logging: { level: 'silent' },
      shutdown: { handleSignals: false }, rules: { enabled: false }, instrumentations: { ws: { enabled: false } }, rateLimits });
    const guard = t.telegram!.sendGuard();
    let sent = 0;
    await guard.run('message', async () => { sent++; });
    await guard.run('message', async () => { sent++; });
    await assert.rejects(guard.run('message', async () => { sent++; }), throttled, 'the configured 2 per minute (reject mode) applies');
    assert.equal(sent, 2);
    assert.ok((await admin.keys(`${keyPrefix}:${POLICY_MESSAGES}*`)).length > 0, 'the budget lives in Redis');
    // Another instance of the service (its own limiter on the same Redis) finds the budget spent.
    const other = createRateLimits({ config: rateLimitsConfig(rateLimits) });
    try {
      assert.equal(await other.ready(), true, 'the second instance reached Redis');
      await assert.rejects(new TelegramSendGuard({ limits: other }).run('message', async () => { sent++; }), throttled);
    } finally {
      await other.close();
    }
    const rm = await t.collect();
    const decisions = rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'ratelimit.decisions');
    const point = decisions?.dataPoints.find((p) => p.attributes['ratelimit.policy'] === POLICY_MESSAGES && p.attributes.outcome === 'throttled');
    assert.ok(point !== undefined && (point.value as number) >= 1, 'refusals count as outcome="throttled"');
  });
});
