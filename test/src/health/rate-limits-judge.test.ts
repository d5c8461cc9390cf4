import { strict as assert } from 'node:assert';
import { resolveConfig } from '../../../src/config/index';
import { buildDefaultRules } from '../../../src/rules/index';
import { registerComponentReports } from '../../../src/sdk/component-reports';
import { HEALTH_ANNOTATION } from '../../../src/health/rule-judge';
import type { ComponentReportProvider, Health } from '../../../src/health/types';
import type { RateLimits } from '../../../src/limits/types';
import type { RateLimitHealthSnapshot } from '../../../src/limits/health-snapshot';
import { ATTR_OUTCOME, ATTR_RATELIMIT_POLICY, METRIC_RATELIMIT_DECISIONS } from '../../../src/limits/semconv';
import { harness } from '../evaluator/helpers';

/** The limiter's figures, whatever the traffic: only the judge decides the status. */
function body(fallback: boolean): RateLimitHealthSnapshot {
  return { metrics: { telegram: {}, api: {}, websocket: {} }, throttled: { count: 0, rate: 0, recent: 0 },
    store: { kind: 'redis', fallback, fallbacks: 0 }, timestamp: new Date(0).toISOString() };
}

describe('/health/rate-limits judged by the evaluator', () => {
  it('agrees with HighThrottleRate at every evaluation of a scripted history', async () => {
    const rules = buildDefaultRules(resolveConfig({ service: { name: 'judge' } })).filter((r) => r.annotations[HEALTH_ANNOTATION] === 'rate-limits');
    assert.deepEqual(rules.map((r) => r.name), ['HighThrottleRate']);
    const h = harness(rules);
    const providers = new Map<string, ComponentReportProvider>();
    const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
    registerComponentReports(health, { websocket: undefined, telegram: undefined, limits: { health: () => body(false) } as unknown as RateLimits, alerts: h.evaluator });
    const decisions = h.registry.counter({ name: METRIC_RATELIMIT_DECISIONS, description: '', unit: '1' });
    const allowed = decisions.series({ [ATTR_RATELIMIT_POLICY]: 'api.standard', [ATTR_OUTCOME]: 'allowed' });
    const throttled = decisions.series({ [ATTR_RATELIMIT_POLICY]: 'api.standard', [ATTR_OUTCOME]: 'throttled' });
    // Per 15 s step: [allowed, throttled]: quiet, 30% throttled for two minutes, then quiet for ten.
    const script = [...Array<[number, number]>(4).fill([100, 0]), ...Array<[number, number]>(8).fill([70, 30]), ...Array<[number, number]>(40).fill([100, 0])];
    const seen = new Set<string>();
    for (const [i, [a, t]] of script.entries()) {
      allowed.add(a);
      if (t > 0) throttled.add(t);
      await h.step();
      const firing = h.evaluator.active().filter((x) => x.state === 'firing' && x.alertname === 'HighThrottleRate');
      const report = await providers.get('rate-limits')!();
      assert.equal(report.status, firing.length > 0 ? 'degraded' : 'healthy', `step ${i}`);
      const d = report.decidedBy as { rule: string; field: string; value: number } | null;
      if (firing.length > 0) assert.deepEqual(d, { rule: 'HighThrottleRate', field: 'throttledRatio', value: firing[0].value, level: 'warning' });
      else assert.equal(d, null);
      seen.add(String(report.status));
    }
    assert.deepEqual([...seen].sort(), ['degraded', 'healthy']);
  });

  it('is degraded by a store in fallback, which no rule covers, and says so', async () => {
    const providers = new Map<string, ComponentReportProvider>();
    const health = { setComponentReport: (name: string, p: ComponentReportProvider) => providers.set(name, p) } as unknown as Health;
    registerComponentReports(health, { websocket: undefined, telegram: undefined, limits: { health: () => body(true) } as unknown as RateLimits, alerts: { active: () => [] } });
    const report = await providers.get('rate-limits')!();
    assert.equal(report.status, 'degraded');
    assert.deepEqual(report.decidedBy, { rule: null, field: 'store.fallback', value: 1, level: 'warning' });
  });
});
