import { strict as assert } from 'node:assert';
import { resolveConfig } from '../../src/config/index';
import { buildDefaultRules } from '../../src/rules/index';
import { createRateLimits } from '../../src/limits/index';
import { HotMetricRegistry } from '../../src/metrics/hot-metrics';
import { POLICY_UPLOADS, SendGuardError, TelegramSendGuard } from '../../instrumentations/telegram/index';
import { harness } from '../src/evaluator/helpers';

// Issue 16: the send guard counted refusals as outcome="rejected" in a series of its own, so the
// default rule HighThrottleRate (outcome="throttled" over all decisions) never saw them.
describe('regression: Telegram send-guard refusals reach HighThrottleRate', () => {
  it('a refused upload increments the ratelimit.decisions series the rule reads, and the rule fires for that policy', async () => {
    const config = resolveConfig({ service: { name: 'tg-throttle' } });
    const rule = buildDefaultRules(config, { cpuCount: 2 }).find((r) => r.name === 'HighThrottleRate');
    assert.ok(rule, 'HighThrottleRate is in the default pack');
    const registry = new HotMetricRegistry();
    const guard = new TelegramSendGuard({ limits: createRateLimits({ config: config.rateLimits, metrics: registry }) });
    const h = harness([{ ...rule, for: 0 }], { registry });
    await h.step();
    await guard.run('upload', async () => undefined, { sizeBytes: 1024 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(guard.run('upload', async () => undefined, { sizeBytes: 60 * 1024 * 1024 }), (e: unknown) => e instanceof SendGuardError && e.code === 'FILE_TOO_LARGE');
    }
    await h.step();
    const firing = h.evaluator.active().filter((a) => a.alertname === 'HighThrottleRate');
    assert.deepEqual(firing.map((a) => [a.labels['ratelimit.policy'], a.state]), [[POLICY_UPLOADS, 'firing']]);
    assert.equal(Number(firing[0].value.toFixed(3)), 0.667, 'two refusals of three decisions');
  });
});
