import { strict as assert } from 'node:assert';
import { restoreRecord, trimStoredRecords, type RestoreTiming, type StoredAlertRecord } from '../../../src/evaluator/restore-records';
import { harness, T0 } from './helpers';

const MIN = 60_000;
const rec = (over: Partial<StoredAlertRecord>): StoredAlertRecord => ({
  id: 'HighLoad\u0002warning\u0002', ruleName: 'HighLoad', severity: 'warning', groupLabels: {}, groupKey: 'HighLoad\u0002',
  state: 'pending', activeAt: T0, value: 9, threshold: 5, announced: false, ...over,
});
// Prometheus' defaults: --rules.alert.for-outage-tolerance=1h, --rules.alert.for-grace-period=10m.
const timing = (downAt: number, now: number): RestoreTiming => ({ downAt, now, outageToleranceMs: 60 * MIN, forGracePeriodMs: 10 * MIN });

describe('restoreRecord (Prometheus RestoreForState semantics)', () => {
  it('moves activeAt by the outage: pending time before it counts, the outage does not', () => {
    // for 30m, pending 5m before a 10m outage: 25m still to wait after the restart.
    const r = restoreRecord(rec({}), 30 * MIN, timing(T0 + 5 * MIN, T0 + 15 * MIN));
    assert.equal(r?.activeAt, T0 + 10 * MIN);
    assert.equal((T0 + 15 * MIN) + 25 * MIN - (r?.activeAt as number), 30 * MIN);
  });

  it('makes an alert nearly due wait the grace period after the restart', () => {
    // for 30m, pending 25m: 5m left < 10m grace -> fires 10m after the restart.
    const now = T0 + 40 * MIN;
    const r = restoreRecord(rec({}), 30 * MIN, timing(T0 + 25 * MIN, now));
    assert.equal((r?.activeAt as number) + 30 * MIN, now + 10 * MIN);
  });

  it('keeps activeAt of an alert whose `for` had elapsed at the outage (it fires at the next evaluation)', () => {
    const r = restoreRecord(rec({}), 30 * MIN, timing(T0 + 31 * MIN, T0 + 45 * MIN));
    assert.equal(r?.activeAt, T0);
  });

  it('restores no `for` timer after an outage longer than the tolerance', () => {
    assert.equal(restoreRecord(rec({}), 30 * MIN, timing(T0 + 5 * MIN, T0 + 5 * MIN + 61 * MIN)), undefined);
  });

  it('restores no `for` timer shorter than the grace period (it waits its own `for` again)', () => {
    assert.equal(restoreRecord(rec({}), 5 * MIN, timing(T0 + 1 * MIN, T0 + 2 * MIN)), undefined);
  });

  it('always restores a firing alert, with its announced flag, so its resolve is owed', () => {
    const r = restoreRecord(rec({ state: 'firing', firedAt: T0, announced: true }), 0, timing(T0, T0 + 5 * 60 * MIN));
    assert.equal(r?.state, 'firing');
    assert.equal(r?.announced, true);
    assert.equal(r?.activeAt, T0);
  });
});

describe('Evaluator.restoreRecords', () => {
  const rule = { name: 'QueueHigh', metric: 'app.queue', statistic: 'last' as const, warning: 5 };

  it('sends the resolve an outage owed: a firing alert whose condition cleared while down', async () => {
    const before = harness([rule]);
    const q = before.registry.gauge({ name: 'app.queue', description: '', unit: '1' }).series({});
    q.value = 9;
    await before.step();
    assert.deepEqual(before.events.map((e) => e.event), ['firing']);
    const saved = JSON.parse(JSON.stringify(before.evaluator.journalRecords())) as StoredAlertRecord[];

    const after = harness([rule], { clock: { now: before.clock.now + 10 * MIN } });
    assert.equal(after.evaluator.restoreRecords(saved, timing(before.clock.now, after.clock.now)), 1);
    const q2 = after.registry.gauge({ name: 'app.queue', description: '', unit: '1' }).series({});
    q2.value = 1;
    await after.step();
    assert.deepEqual(after.events.map((e) => `${e.event}:${e.alert.alertname}`), ['resolved:QueueHigh']);
    assert.equal(after.events[0].alert.firedAt, before.events[0].alert.firedAt);
  });

  it('does not announce again an alert that still fires after the restart', async () => {
    const before = harness([rule]);
    before.registry.gauge({ name: 'app.queue', description: '', unit: '1' }).series({}).value = 9;
    await before.step();
    const saved = before.evaluator.journalRecords();
    const after = harness([rule], { clock: { now: before.clock.now + MIN } });
    after.evaluator.restoreRecords(saved, timing(before.clock.now, after.clock.now));
    after.registry.gauge({ name: 'app.queue', description: '', unit: '1' }).series({}).value = 9;
    await after.step();
    await after.step();
    assert.deepEqual(after.events, []);
    assert.equal(after.evaluator.active().length, 1);
  });

  it('leaves out records of rules that no longer exist', async () => {
    const before = harness([rule]);
    before.registry.gauge({ name: 'app.queue', description: '', unit: '1' }).series({}).value = 9;
    await before.step();
    const after = harness([{ ...rule, name: 'Renamed' }]);
    assert.equal(after.evaluator.restoreRecords(before.evaluator.journalRecords(), timing(before.clock.now, after.clock.now)), 0);
  });
});

describe('trimStoredRecords (the journal bound)', () => {
  it('drops pending alerts first, then the oldest firing ones, naming each', () => {
    const records = [
      rec({ id: 'A\u0002warning\u0002', ruleName: 'A', state: 'firing', activeAt: T0 + 2 }),
      rec({ id: 'B\u0002warning\u0002', ruleName: 'B', state: 'pending', activeAt: T0 + 3 }),
      rec({ id: 'C\u0002critical\u0002', ruleName: 'C', severity: 'critical', state: 'firing', activeAt: T0 + 1 }),
    ];
    // More than the pending record frees: the oldest firing one goes too.
    const cut = trimStoredRecords(records, JSON.stringify(records[1]).length + 1);
    assert.deepEqual(cut?.dropped, ['pending alert B (warning)', 'firing alert C (critical)']);
    assert.deepEqual((cut?.state as StoredAlertRecord[]).map((r) => r.ruleName), ['A']);
    assert.equal(trimStoredRecords([], 10), undefined);
  });
});
