import { strict as assert } from 'node:assert';
import { createErrorTracker, createNewGroupAlerts } from '../../../src/errors/index';
import type { Alert } from '../../../src/alerting/index';
import { createRateLimits } from '../../../src/limits/index';
import { HotMetricRegistry } from '../../../src/metrics/hot-metrics';
import { pointValue, rateLimitsConfig } from '../limits/helpers';
import { errorsSchema } from '../../../src/config/schema/service';

const MIN = 60_000;
const SERVICE = { name: 'billing', instanceId: 'host-1', version: '3.1.0', environment: 'prod' };

function rig(points = 3, durationMs = 60 * MIN) {
  let t = Date.parse('2026-12-01T00:00:00Z');
  const received: Alert[] = [];
  const metrics = new HotMetricRegistry();
  const limiter = createRateLimits({ config: rateLimitsConfig({ policies: { 'errors.newGroupAlerts': { points, durationMs } } }), metrics });
  const onNewGroup = createNewGroupAlerts({ receive: (a) => void received.push(a), service: SERVICE, severity: 'warning', limiter, resolveAfterMs: 60 * MIN, now: () => t });
  const tracker = createErrorTracker({ release: SERVICE.version, environment: SERVICE.environment, onNewGroup, now: () => t });
  const decisions = (outcome: string) => pointValue(metrics, 'ratelimit.decisions', { 'ratelimit.policy': 'errors.newGroupAlerts', outcome });
  return { tracker, received, decisions, tick: (ms: number) => void (t += ms) };
}

/** The limiter answers asynchronously (a Promise per decision, even in memory). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createNewGroupAlerts', () => {
  it('alerts once per new group, with the redacted message, class, fingerprint and release; not on repeats', async () => {
    const r = rig();
    const g = r.tracker.track(new Error('card of jane.doe@example.com declined'));
    r.tracker.track(new Error('card of jane.doe@example.com declined'));
    await settle();
    assert.equal(r.received.length, 1);
    const [a] = r.received;
    assert.equal(a.status, 'firing');
    assert.deepEqual(a.labels, { alertname: 'NewErrorGroup', severity: 'warning', service: 'billing', error_class: 'unknown', fingerprint: g?.fingerprint });
    assert.match(a.annotations.summary, /^New error group in billing: Error: card of \[REDACTED\] declined$/);
    assert.equal(a.annotations.release, '3.1.0');
    assert.equal(a.annotations.environment, 'prod');
  });

  it('is limited by the one limiter (policy errors.newGroupAlerts, in ratelimit.decisions) and says how many were held back', async () => {
    const r = rig(3, 1000);
    for (let i = 0; i < 10; i++) r.tracker.track(new Error(`failure kind ${String.fromCharCode(97 + i)}`));
    await settle();
    assert.equal(r.received.length, 3);
    assert.deepEqual([r.decisions('allowed'), r.decisions('throttled')], [3, 7]);
    // The limiter's window (real time: rate-limiter-flexible keeps its own clock) passes; the alerts resolve on theirs.
    await new Promise((res) => setTimeout(res, 1100));
    r.tick(61 * MIN);
    r.tracker.track(new Error('another kind'));
    await settle();
    const firing = r.received.filter((a) => a.status === 'firing');
    assert.equal(firing.length, 4);
    assert.equal(firing[3].annotations.held_back, '7 more new error groups were not alerted (rate limit errors.newGroupAlerts: 3 per 1 s)');
    assert.equal(r.decisions('allowed'), 4);
    // The alerts fired an hour ago were resolved lazily, resolveAfterMs after they fired.
    assert.equal(r.received.filter((a) => a.status === 'resolved').length, 3);
  });

  it('the removed maxPerWindow/windowMs knobs are configuration errors naming the policy', () => {
    const r = errorsSchema().safeParse({ newGroupAlerts: { maxPerWindow: 3, windowMs: 60_000 } });
    assert.equal(r.success, false);
    const messages = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    assert.ok(messages.some((m) => m.startsWith('newGroupAlerts.maxPerWindow: removed') && m.includes("rateLimits.policies['errors.newGroupAlerts'].points")), messages.join('\n'));
    assert.ok(messages.some((m) => m.startsWith('newGroupAlerts.windowMs: removed')), messages.join('\n'));
  });

  it('without the policy (set to false) every new group alerts', async () => {
    const received: Alert[] = [];
    const limiter = createRateLimits({ config: rateLimitsConfig({ policies: { 'errors.newGroupAlerts': false } }), metrics: new HotMetricRegistry() });
    const onNewGroup = createNewGroupAlerts({ receive: (a) => void received.push(a), service: SERVICE, severity: 'info', limiter, resolveAfterMs: MIN });
    const tracker = createErrorTracker({ onNewGroup });
    for (let i = 0; i < 12; i++) tracker.track(new Error(`kind ${String.fromCharCode(97 + i)}`));
    await settle();
    assert.equal(received.length, 12);
  });
});

describe('ErrorTracker', () => {
  describe('#generateInsights', () => {
    it('lists top groups by count, new groups newest first, and groups rising in the last half hour', () => {
      let t = Date.parse('2026-12-01T00:00:00Z');
      const tracker = createErrorTracker({ now: () => t });
      // steady: 10 per 5 minutes for an hour; rising: 1 in the first half hour, 12 in the last.
      for (let m = 0; m < 60; m += 5) {
        for (let i = 0; i < 10; i++) tracker.track(new Error('steady'), { fingerprint: 'steady' });
        if (m === 0) tracker.track(new Error('rising'), { fingerprint: 'rising' });
        if (m >= 30) for (let i = 0; i < 2; i++) tracker.track(new Error('rising'), { fingerprint: 'rising' });
        t += 5 * MIN;
      }
      t -= 5 * MIN;
      tracker.track(new Error('fresh'), { fingerprint: 'fresh' });
      const i = tracker.generateInsights({ limit: 2, newWithinMs: 10 * MIN });
      assert.deepEqual(i.topGroups.map((g) => g.fingerprint), ['steady', 'rising']);
      assert.deepEqual(i.newGroups.map((g) => g.fingerprint), ['fresh']);
      assert.deepEqual(i.risingGroups.map((g) => [g.fingerprint, g.previousHalfHour, g.lastHalfHour]), [['rising', 1, 12]]);
      assert.deepEqual(i.totals, { groups: 3, tracked: 120 + 13 + 1 });
    });
  });
});
