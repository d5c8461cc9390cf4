import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createRateLimits, type PolicyRateStatus } from '../../../src/limits/index';
import { rateLimitsConfig } from './helpers';

describe('RateLimitRegistry#health', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: Date.UTC(2026, 0, 1), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  // The figures only: HighThrottleRate judges the status (test/src/sdk/judged-status.test.ts).
  it('reports the spec fields with per-policy rates and throttled counts, and no status of its own', async () => {
    const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.standard': { points: 8, durationMs: 60_000 } } }), metrics: new HotMetricRegistry() });
    const empty = limits.health();
    assert.deepEqual(Object.keys(empty).sort(), ['metrics', 'store', 'throttled', 'timestamp']);
    assert.ok(empty.metrics.telegram.messagesSent);
    assert.deepEqual(empty.metrics.websocket.connections, { active: 0, perUser: 3, total: 1000 });

    clock.tick(30_000);
    for (let i = 0; i < 10; i++) await limits.consume('api.standard', 'ip:1');
    await limits.consume('telegram.messagesSent', 'account');
    const body = limits.health();
    const api = body.metrics.api.standard as PolicyRateStatus;
    assert.deepEqual(
      { limit: api.limit, windowSeconds: api.windowSeconds, allowed: api.allowed, throttled: api.throttled, rpm: api.requestsPerMinute, tpm: api.throttledPerMinute },
      { limit: 8, windowSeconds: 60, allowed: 8, throttled: 2, rpm: 20, tpm: 4 }, // 10 and 2 in half a minute
    );
    assert.equal(body.throttled.count, 2);
    assert.equal(body.throttled.recent, 0.182); // 2 of 11
    assert.equal(body.timestamp, '2026-01-01T00:00:30.000Z');
    assert.deepEqual(body.store, { kind: 'memory', fallback: false, fallbacks: 0 });

    clock.tick(61_000);
    for (let i = 0; i < 5; i++) await limits.consume('api.auth', 'u');
    const later = limits.health();
    assert.equal((later.metrics.api.standard as PolicyRateStatus).requestsPerMinute, 0, 'rates cover the last minute only');
    assert.equal(later.throttled.recent, 0);
    assert.equal((later.metrics.api.standard as PolicyRateStatus).throttled, 2, 'counts are since start');
  });
});
