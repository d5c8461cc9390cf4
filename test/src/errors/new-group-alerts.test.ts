import { strict as assert } from 'node:assert';
import { createErrorTracker, createNewGroupAlerts } from '../../../src/errors/index';
import type { Alert } from '../../../src/alerting/index';

const MIN = 60_000;
const SERVICE = { name: 'billing', instanceId: 'host-1', version: '3.1.0', environment: 'prod' };

function rig(maxPerWindow = 3) {
  let t = Date.parse('2026-12-01T00:00:00Z');
  const received: Alert[] = [];
  const onNewGroup = createNewGroupAlerts({ receive: (a) => void received.push(a), service: SERVICE, severity: 'warning', maxPerWindow, windowMs: 60 * MIN, now: () => t });
  const tracker = createErrorTracker({ release: SERVICE.version, environment: SERVICE.environment, onNewGroup, now: () => t });
  return { tracker, received, tick: (ms: number) => void (t += ms) };
}

describe('createNewGroupAlerts', () => {
  it('alerts once per new group, with the redacted message, class, fingerprint and release; not on repeats', () => {
    const r = rig();
    const g = r.tracker.track(new Error('card of jane.doe@example.com declined'));
    r.tracker.track(new Error('card of jane.doe@example.com declined'));
    assert.equal(r.received.length, 1);
    const [a] = r.received;
    assert.equal(a.status, 'firing');
    assert.deepEqual(a.labels, { alertname: 'NewErrorGroup', severity: 'warning', service: 'billing', error_class: 'unknown', fingerprint: g?.fingerprint });
    assert.match(a.annotations.summary, /^New error group in billing: Error: card of \[REDACTED\] declined$/);
    assert.equal(a.annotations.release, '3.1.0');
    assert.equal(a.annotations.environment, 'prod');
  });

  it('sends at most maxPerWindow per window and says how many were held back in the next one', () => {
    const r = rig(3);
    for (let i = 0; i < 10; i++) r.tracker.track(new Error(`failure kind ${String.fromCharCode(97 + i)}`));
    assert.equal(r.received.length, 3);
    r.tick(61 * MIN);
    r.tracker.track(new Error('another kind'));
    const firing = r.received.filter((a) => a.status === 'firing');
    assert.equal(firing.length, 4);
    assert.match(firing[3].annotations.held_back, /^7 more new error groups were not alerted \(at most 3 per 60 min\)$/);
    // The alerts of the previous window were resolved lazily, one window after they fired.
    assert.equal(r.received.filter((a) => a.status === 'resolved').length, 3);
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
