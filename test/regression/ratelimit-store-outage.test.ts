import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { createRateLimits, type Decision, type RateLimitRegistry, type RateLimits } from '../../src/limits/index';
import { registerComponentReports } from '../../src/sdk/component-reports';
import type { ComponentReportProvider, Health } from '../../src/health/types';
import { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { pointValue, rateLimitsConfig } from '../src/limits/helpers';
import { ThrowawayRedis, uniquePrefix } from '../helpers/redis';
import { createLogger } from '../../src/logging/logger';
import { LogCapture } from '../helpers/log-capture';
import { Redis } from 'ioredis';

async function waitFor(cond: () => boolean, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What /health/rate-limits answers for this limiter (the provider start() registers), with no rule firing. */
async function rateLimitsReport(limits: RateLimits): Promise<{ status: string; decidedBy?: unknown }> {
  let provider: ComponentReportProvider | undefined;
  const health = { setComponentReport: (_name: string, p: ComponentReportProvider) => void (provider = p) } as unknown as Health;
  registerComponentReports(health, { websocket: undefined, telegram: undefined, limits, alerts: { active: () => [] } });
  return (await (provider as ComponentReportProvider)()) as unknown as { status: string; decidedBy?: unknown };
}

async function timed(fn: () => Promise<Decision>): Promise<{ d: Decision; ms: number }> {
  const t0 = performance.now();
  const d = await fn();
  return { d, ms: performance.now() - t0 };
}

// Issue 18 item 12: when Redis failed, the fallback started from zero (after the 5 api.auth
// attempts were spent, losing Redis granted 5 fresh ones); a hung Redis (SIGSTOP) added the
// command timeout to every decision, with no circuit breaker, and `degraded` stayed false
// because the connection still looked ready.
describe('rate limits when Redis fails (regression: fresh fallback, no breaker, degraded lied)', function () {
  this.timeout(60_000);
  let redis: ThrowawayRedis;
  const opened: RateLimitRegistry[] = [];
  before(async () => {
    redis = await ThrowawayRedis.start();
  });
  afterEach(async () => {
    redis.resume();
    await Promise.all(opened.splice(0).map((l) => l.close()));
    if (!redis.running) await redis.restart();
  });
  after(async () => {
    await redis?.stop();
  });

  function limits(extra: Record<string, unknown>, reg = new HotMetricRegistry(), logs?: LogCapture): RateLimitRegistry {
    const l = createRateLimits({
      config: rateLimitsConfig({ store: 'redis', redisUrl: redis.url, keyPrefix: uniquePrefix('store-outage'), ...extra }),
      metrics: reg,
      logger: logs ? createLogger({ destination: logs }) : undefined,
    });
    opened.push(l);
    return l;
  }

  it('starts the fallback from the last counts Redis gave: spent api.auth attempts stay spent', async () => {
    // api.auth made fail-open here, so that the fallback (not onStoreError) answers.
    const l = limits({ policies: { 'api.auth': { points: 5, durationMs: 15 * 60_000, onStoreError: 'allow' } } });
    assert.ok(await l.ready(3000));
    for (let i = 0; i < 5; i++) assert.equal((await l.consume('api.auth', 'login:alice')).allowed, true);
    assert.equal((await l.consume('api.auth', 'login:bob')).allowed, true);
    await redis.stop();
    await waitFor(() => l.degraded, 'the outage to be noticed');
    const alice = await l.consume('api.auth', 'login:alice');
    assert.deepEqual([alice.allowed, alice.outcome], [false, 'throttled'], 'no fresh attempts after losing Redis');
    assert.ok(alice.retryAfterSeconds > 14 * 60, `the window Redis knew continues (retry after ${alice.retryAfterSeconds} s)`);
    // bob had used 1 of 5: 4 left in the fallback, then throttled.
    const bob: boolean[] = [];
    for (let i = 0; i < 5; i++) bob.push((await l.consume('api.auth', 'login:bob')).allowed);
    assert.deepEqual(bob, [true, true, true, true, false]);
  });

  it('divides the last count like the points under insuranceDivisor', async () => {
    const l = limits({ insuranceDivisor: 2, policies: { 'api.shared': { points: 6, durationMs: 60_000 } } });
    assert.ok(await l.ready(3000));
    for (let i = 0; i < 2; i++) await l.consume('api.shared', 'k');
    await redis.stop();
    await waitFor(() => l.degraded, 'the outage to be noticed');
    const got: boolean[] = [];
    for (let i = 0; i < 3; i++) got.push((await l.consume('api.shared', 'k')).allowed);
    // This instance's share: 6 / 2 = 3 points, of which ceil(2 / 2) = 1 was already spent.
    assert.deepEqual(got, [true, true, false]);
  });

  it('a hung Redis: the breaker opens after N timeouts, then decisions answer at once; degraded tells; a probe closes it', async () => {
    const reg = new HotMetricRegistry();
    const logs = new LogCapture();
    const timeoutMs = 400;
    // The defaults otherwise: the breaker opens after 3 failures and probes after 5 s.
    const l = limits({ redisCommandTimeoutMs: timeoutMs, policies: { 'api.shared': { points: 100, durationMs: 60_000 } } }, reg, logs);
    assert.ok(await l.ready(3000));
    for (let i = 0; i < 3; i++) assert.equal((await l.consume('api.shared', 'k')).outcome, 'allowed');
    assert.equal(l.degraded, false);

    redis.pause();
    const slow: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { d, ms } = await timed(() => l.consume('api.shared', 'k'));
      assert.equal(d.allowed, true, 'fail-open policy: the fallback answers');
      slow.push(ms);
    }
    assert.ok(slow.every((ms) => ms >= timeoutMs - 50), `the first ${slow.length} decisions waited for the timeout: ${slow.join(', ')}`);
    // Breaker open: no wait at all (well under one timeout, however loaded the machine).
    const fast: number[] = [];
    for (let i = 0; i < 10; i++) {
      const { d, ms } = await timed(() => l.consume('api.shared', 'k'));
      assert.equal(d.allowed, true);
      fast.push(ms);
    }
    assert.ok(fast.every((ms) => ms < timeoutMs / 2), `decisions with the breaker open: ${fast.map((ms) => ms.toFixed(1)).join(', ')} ms`);
    assert.equal(l.breakerState, 'open');
    // The fail-closed default (api.auth) is denied at once too.
    const auth = await timed(() => l.consume('api.auth', 'login:alice'));
    assert.deepEqual([auth.d.allowed, auth.d.outcome], [false, 'store_error']);
    assert.ok(auth.ms < timeoutMs / 2);

    // The connection still looks ready to ioredis; degraded must not.
    assert.equal(l.degraded, true);
    const h = l.health();
    assert.deepEqual([h.store.fallback, h.store.breaker], [true, 'open']);
    const report = await rateLimitsReport(l);
    assert.equal(report.status, 'degraded', '/health/rate-limits (and componentReport) report it');
    assert.deepEqual(report.decidedBy, { rule: null, field: 'store.fallback', value: 1, level: 'warning' });
    assert.equal(pointValue(reg, 'ratelimit.store.degraded', {}), 1);
    assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 13);
    assert.ok(logs.json().some((j) => /circuit open/.test(String(j.msg))), 'the outage is logged');

    // Redis answers again: after breakerOpenMs (5 s) one decision probes and closes the breaker.
    redis.resume();
    await new Promise((r) => setTimeout(r, 5100));
    const probe = await l.consume('api.shared', 'k');
    assert.equal(probe.outcome, 'allowed');
    assert.equal(l.breakerState, 'closed');
    assert.equal(l.degraded, false);
    assert.equal(l.health().store.fallback, false);
    assert.equal((await rateLimitsReport(l)).status, 'healthy');
    assert.equal(pointValue(reg, 'ratelimit.store.degraded', {}), 0);
    assert.equal(pointValue(reg, 'ratelimit.store.fallbacks', { 'ratelimit.policy': 'api.shared' }), 13, 'the probe was answered by Redis');
  });

  it('a failed probe opens the breaker again for another breakerOpenMs', async () => {
    const l = limits({ redisCommandTimeoutMs: 300, breakerFailures: 2, breakerOpenMs: 800, policies: { 'api.shared': { points: 100, durationMs: 60_000 } } });
    assert.ok(await l.ready(3000));
    redis.pause();
    for (let i = 0; i < 2; i++) await l.consume('api.shared', 'k');
    assert.equal(l.breakerState, 'open');
    await new Promise((r) => setTimeout(r, 900));
    const probe = await timed(() => l.consume('api.shared', 'k'));
    assert.ok(probe.ms >= 250, 'the probe asked the hung Redis');
    assert.equal(l.breakerState, 'open');
    const after = await timed(() => l.consume('api.shared', 'k'));
    assert.ok(after.ms < 150, 'open again: no wait');
  });

  it('bounds decisions on an application\'s own Redis client too (one without a command timeout)', async () => {
    const client = new Redis(redis.url, { enableOfflineQueue: false });
    client.on('error', () => {});
    try {
      const l = createRateLimits({
        config: rateLimitsConfig({ store: 'redis', keyPrefix: uniquePrefix('store-outage-app'), redisCommandTimeoutMs: 300, policies: { 'api.shared': { points: 100, durationMs: 60_000 } } }),
        metrics: new HotMetricRegistry(), redis: client,
      });
      opened.push(l);
      assert.ok(await l.ready(3000));
      redis.pause();
      const first = await timed(() => l.consume('api.shared', 'k'));
      assert.equal(first.d.allowed, true);
      assert.ok(first.ms >= 250 && first.ms < 2000, `waited ${first.ms.toFixed(0)} ms, the decision timeout`);
      assert.equal(l.degraded, true);
    } finally {
      redis.resume();
      client.disconnect();
    }
  });
});
