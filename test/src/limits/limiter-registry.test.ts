import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createRateLimits, RateLimitUsageError } from '../../../src/limits/index';
import { validateConfig } from '../../../src/config/index';
import { metric, pointValue, rateLimitsConfig } from './helpers';

describe('RateLimitRegistry', () => {
  let clock: sinon.SinonFakeTimers;
  let reg: HotMetricRegistry;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    reg = new HotMetricRegistry();
  });
  afterEach(() => clock.restore());

  describe('#policies', () => {
    it('has the specification defaults', () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      const p = limits.policies();
      assert.deepEqual(
        [...p.entries()].map(([n, v]) => [n, v.points, v.durationMs, v.mode]),
        [
          ['telegram.messagesSent', 30, 60_000, 'queue'],
          ['telegram.messagesPerChat', 20, 60_000, 'queue'],
          ['telegram.mediaUploads', 10, 60_000, 'queue'],
          ['telegram.channelInvites', 50, 86_400_000, 'queue'],
          ['api.standard', 100, 60_000, 'reject'],
          ['api.auth', 5, 900_000, 'reject'],
          ['websocket.messages', 100, 60_000, 'reject'],
          ['websocket.newConnections', 100, 60_000, 'reject'],
          ['errors.newGroupAlerts', 10, 3_600_000, 'reject'],
        ],
      );
      assert.equal(p.get('telegram.mediaUploads')?.maxSizeBytes, 50 * 1024 * 1024);
      assert.equal(p.get('websocket.messages')?.maxSizeBytes, 4096);
      assert.deepEqual(limits.connectionCaps, { perUser: 3, total: 1000 });
    });

    it('overrides, removes (false) and adds policies from the configuration', () => {
      const limits = createRateLimits({
        config: rateLimitsConfig({ policies: { 'api.standard': { points: 7, durationMs: 1000 }, 'api.auth': false, 'app.search': { points: 2, durationMs: 5000 } } }),
        metrics: reg,
      });
      const p = limits.policies();
      assert.equal(p.get('api.standard')?.points, 7);
      assert.equal(p.has('api.auth'), false);
      assert.equal(p.get('app.search')?.points, 2);
    });

    it('adds a policy at run time with setPolicy and rejects an invalid one by path', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      limits.setPolicy('app.export', { points: 1, durationMs: 10_000 });
      assert.equal((await limits.consume('app.export', 'k')).allowed, true);
      assert.equal((await limits.consume('app.export', 'k')).allowed, false);
      assert.throws(() => limits.setPolicy('bad', { points: 0, durationMs: 1000 }), /bad\.points/);
    });
  });

  describe('#consume', () => {
    it('allows up to the limit, then throttles with the exact Retry-After', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      for (let i = 0; i < 5; i++) {
        const d = await limits.consume('api.auth', 'user-1');
        assert.equal(d.allowed, true);
        assert.equal(d.remaining, 4 - i);
        assert.equal(d.outcome, 'allowed');
      }
      clock.tick(60_500); // 15 min window: 900 s - 60.5 s = 839.5 s left
      const d = await limits.consume('api.auth', 'user-1');
      assert.deepEqual(
        { allowed: d.allowed, outcome: d.outcome, remaining: d.remaining, resetMs: d.resetMs, retry: d.retryAfterSeconds, reason: d.reason, limit: d.limit },
        { allowed: false, outcome: 'throttled', remaining: 0, resetMs: 839_500, retry: 840, reason: 'limit', limit: 5 },
      );
      assert.equal((await limits.consume('api.auth', 'user-2')).allowed, true, 'keys have separate budgets');
      clock.tick(839_500);
      assert.equal((await limits.consume('api.auth', 'user-1')).allowed, true, 'the window reset');
    });

    it('counts ratelimit.decisions by policy and outcome, every outcome pre-created at 0', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'api.standard': { points: 2, durationMs: 60_000 } } }), metrics: reg });
      for (let i = 0; i < 5; i++) await limits.consume('api.standard', '10.0.0.1');
      const m = metric(reg, 'ratelimit.decisions');
      assert.ok(m);
      assert.equal(m.descriptor.unit, '{decision}');
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.standard', outcome: 'allowed' }), 2);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.standard', outcome: 'throttled' }), 3);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.auth', outcome: 'throttled' }), 0);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'api.standard', outcome: 'store_error' }), 0);
    });

    it('never puts the key (user or chat id) in a metric attribute', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      await limits.consume('telegram.messagesPerChat', '-1001234567890');
      await limits.consume('api.auth', 'user-secret-42');
      const text = JSON.stringify(reg.collectMetricData().map((m) => m.dataPoints.map((p) => p.attributes)));
      assert.doesNotMatch(text, /1001234567890|user-secret-42/);
      assert.match(text, /telegram\.messagesPerChat/);
    });

    it('throttles an item above maxSizeBytes without spending points', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      const big = await limits.consume('websocket.messages', 'conn-1', 1, { sizeBytes: 4097 });
      assert.equal(big.allowed, false);
      assert.equal(big.reason, 'too_large');
      assert.equal(big.retryAfterSeconds, 0);
      const ok = await limits.consume('websocket.messages', 'conn-1', 1, { sizeBytes: 4096 });
      assert.equal(ok.allowed, true);
      assert.equal(ok.remaining, 99);
    });

    it('rejects with an Error (never a RateLimiterRes) for an unknown policy or bad points', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      await assert.rejects(limits.consume('nope', 'k'), (e: unknown) => e instanceof RateLimitUsageError && /unknown rate-limit policy "nope"/.test(e.message));
      await assert.rejects(limits.consume('api.auth', 'k', 6), (e: unknown) => e instanceof Error && /1 to 5/.test(e.message));
      await assert.rejects(limits.consume('api.auth', 'k', 1.5), RateLimitUsageError);
    });

    it('takes several points at once; a refused call still spends its points (rate-limiter-flexible semantics)', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      const d = await limits.consume('api.standard', 'k', 60);
      assert.equal(d.remaining, 40);
      assert.equal((await limits.consume('api.standard', 'k', 41)).allowed, false);
      assert.equal((await limits.consume('api.standard', 'k', 1)).allowed, false);
    });
  });

  describe('#acquireConnection', () => {
    it('holds 3 connections per user and frees a slot on release (idempotent)', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig(), metrics: reg });
      const leases = [await limits.acquireConnection('u1'), await limits.acquireConnection('u1'), await limits.acquireConnection('u1')];
      assert.ok(leases.every((l) => l.decision.allowed));
      const fourth = await limits.acquireConnection('u1');
      assert.equal(fourth.decision.allowed, false);
      assert.equal(fourth.decision.policy, 'websocket.connections.perUser');
      assert.equal((await limits.acquireConnection('u2')).decision.allowed, true, 'another user is not affected');
      leases[0].release();
      leases[0].release();
      await Promise.resolve();
      assert.equal((await limits.acquireConnection('u1')).decision.allowed, true);
      assert.equal((await limits.acquireConnection('u1')).decision.allowed, false, 'a double release frees only one slot');
      assert.equal(limits.activeConnections, 4);
    });

    it('caps the process total and gives the total slot back when the per-user cap refuses', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig({ websocketConnections: { perUser: 1, total: 2 } }), metrics: reg });
      assert.equal((await limits.acquireConnection('a')).decision.allowed, true);
      assert.equal((await limits.acquireConnection('a')).decision.allowed, false); // per user, total slot returned
      assert.equal((await limits.acquireConnection('b')).decision.allowed, true);
      const third = await limits.acquireConnection('c');
      assert.equal(third.decision.allowed, false);
      assert.equal(third.decision.policy, 'websocket.connections.total');
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'websocket.connections.total', outcome: 'throttled' }), 1);
    });
  });
});

describe('rateLimits configuration', () => {
  it('rejects an invalid trustedProxies entry by path at start()', () => {
    const r = validateConfig({ service: { name: 's' }, rateLimits: { trustedProxies: ['10.0.0.0/8', 'loopback', '::1', '10.0.0.0/40', 'proxy.local'] } });
    assert.equal(r.ok, false);
    assert.deepEqual(
      (r.ok ? [] : r.problems).map((p) => p.path),
      ['rateLimits.trustedProxies.3', 'rateLimits.trustedProxies.4'],
    );
  });
});
