import { strict as assert } from 'node:assert';
import { ruleSchema } from '../../../src/config/schema/rules';
import { RATE_LIMIT_RULES, rateLimitRules } from '../../../src/limits/index';

describe('rateLimitRules', () => {
  it('validates against ruleSchema with the spec levels (10% throttled over 5m, 5 flood waits per hour)', () => {
    const rules = RATE_LIMIT_RULES.map((r) => ruleSchema.parse(r));
    const [throttle, flood] = rules;
    assert.equal(throttle.name, 'high_throttle_rate');
    assert.equal(throttle.metric, 'ratelimit.decisions');
    assert.equal(throttle.statistic, 'ratio');
    assert.equal(throttle.denominator, 'ratelimit.decisions');
    assert.deepEqual(throttle.filter, { outcome: 'throttled' });
    assert.equal(throttle.window, 300_000);
    assert.equal(throttle.warning, 0.1);
    assert.equal(flood.name, 'telegram_flood_wait');
    assert.equal(flood.metric, 'telegram.flood_waits');
    assert.equal(flood.statistic, 'increase');
    assert.equal(flood.window, 3_600_000);
    assert.equal(flood.warning, 5);
  });

  it('takes its levels from thresholds.rateLimits', () => {
    const [t, f] = rateLimitRules({ throttledRatio: 0.25, floodWaits: 12 }).map((r) => ruleSchema.parse(r));
    assert.equal(t.warning, 0.25);
    assert.equal(f.warning, 12);
    assert.match(t.annotations.summary, /25%/);
  });
});
