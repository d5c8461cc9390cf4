import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { createRateLimits, type Decision } from '../../../src/limits/index';
import { KeyedQueues } from '../../../src/limits/queue';
import { histogramPoint, metric, pointValue, rateLimitsConfig } from './helpers';

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('queue mode', () => {
  let clock: sinon.SinonFakeTimers;
  let reg: HotMetricRegistry;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    reg = new HotMetricRegistry();
  });
  afterEach(() => clock.restore());

  describe('RateLimitRegistry#consume', () => {
    it('holds calls over the limit until the window frees a slot, in order, and records the wait', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'tg.send': { points: 3, durationMs: 1000, mode: 'queue' } } }), metrics: reg });
      const done: Array<[number, Decision]> = [];
      const calls = [0, 1, 2, 3, 4].map((i) => limits.consume('tg.send', 'account').then((d) => done.push([i, d])));
      await flush();
      assert.deepEqual(done.map(([i]) => i), [0, 1, 2], 'three go at once');
      assert.ok(done.every(([, d]) => d.outcome === 'allowed' && d.waitedMs === 0));
      await clock.tickAsync(1000);
      await Promise.all(calls);
      assert.deepEqual(done.map(([i]) => i), [0, 1, 2, 3, 4], 'FIFO order');
      const late = done.slice(3).map(([, d]) => d);
      assert.ok(late.every((d) => d.allowed && d.outcome === 'queued' && d.waitedMs === 1000), JSON.stringify(late));
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'tg.send', outcome: 'queued' }), 2);
      assert.equal(pointValue(reg, 'ratelimit.decisions', { 'ratelimit.policy': 'tg.send', outcome: 'allowed' }), 3);
      const wait = histogramPoint(reg, 'ratelimit.queue.wait', { 'ratelimit.policy': 'tg.send' });
      assert.equal(metric(reg, 'ratelimit.queue.wait')?.descriptor.unit, 's');
      assert.equal(wait?.value.count, 5);
      assert.equal(wait?.value.sum, 2);
    });

    it('throttles with reason queue_full when the key already has maxQueueSize waiters', async () => {
      const limits = createRateLimits({ config: rateLimitsConfig({ policies: { 'tg.send': { points: 1, durationMs: 2000, mode: 'queue', maxQueueSize: 1 } } }), metrics: reg });
      const first = await limits.consume('tg.send', 'chat-1');
      assert.equal(first.outcome, 'allowed');
      const second = limits.consume('tg.send', 'chat-1');
      await flush();
      const third = await limits.consume('tg.send', 'chat-1');
      assert.equal(third.allowed, false);
      assert.equal(third.reason, 'queue_full');
      assert.equal(third.retryAfterSeconds, 2);
      const other = await limits.consume('tg.send', 'chat-2');
      assert.equal(other.outcome, 'allowed', 'per-chat keys queue separately');
      await clock.tickAsync(2000);
      assert.equal((await second).outcome, 'queued');
    });
  });

  describe('KeyedQueues', () => {
    it('drops idle per-key queues in an amortized sweep (no timer per key)', async () => {
      const limiter = new RateLimiterMemory({ points: 5, duration: 1 });
      const q = new KeyedQueues(limiter, 10, 1000, Date.now);
      for (let i = 0; i < 50; i++) await q.removeTokens(`chat-${i}`, 1);
      assert.equal(q.size, 50);
      clock.tick(1000);
      await q.removeTokens('chat-new', 1);
      assert.equal(q.size, 1);
    });
  });
});
