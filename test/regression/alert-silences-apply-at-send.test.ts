import { strict as assert } from 'node:assert';
import type * as sinon from 'sinon';
import { fakeClock, recordingDispatcher } from '../helpers/alert-recorder';
import { firing, resolved } from '../helpers/alerts';

const MIN = 60_000;

// Issue 18 item 1: silences were applied only when an alert arrived, so a silence added while an
// alert fired did not stop its repeats or escalation, and a resolve arriving while silenced was
// dropped (the group, and Alertmanager, kept the alert firing for ever).
describe('AlertDispatcher silences (regression: applied when sending, not on arrival)', () => {
  let fake: sinon.SinonFakeTimers;
  beforeEach(() => { fake = fakeClock(); });
  afterEach(() => fake.restore());

  it('stops repeats and escalation of an alert silenced while it fires', async () => {
    const { d, rec } = recordingDispatcher(['slack', 'webhook']);
    d.receive(firing('DbDown', 'critical'));
    await fake.tickAsync(31_000);
    assert.deepEqual(rec.slack.summary(), ['new:DbDown/firing']);
    d.silence([{ name: 'alertname', value: 'DbDown', isRegex: false, isEqual: true }], new Date(fake.now + 120 * MIN));
    await fake.tickAsync(60 * MIN);
    assert.deepEqual(rec.slack.summary(), ['new:DbDown/firing'], 'no repeat while silenced');
    assert.ok(!rec.webhook.summary().some((s) => s.startsWith('escalation')), rec.webhook.summary().join(','));
  });

  it('delivers the resolve of an announced alert that resolves while silenced, and nothing after', async () => {
    const { d, rec } = recordingDispatcher(['slack', 'alertmanager'], { channels: { alertmanager: { url: 'http://127.0.0.1:1', resendIntervalMs: MIN } } });
    const a = firing('DbDown', 'critical');
    d.receive(a);
    await fake.tickAsync(31_000);
    d.silence([{ name: 'alertname', value: 'DbDown', isRegex: false, isEqual: true }], new Date(fake.now + 10 * MIN));
    await fake.tickAsync(2 * MIN);
    d.receive(resolved(a, new Date(fake.now)));
    await fake.tickAsync(70 * MIN);
    assert.deepEqual(rec.slack.summary(), ['new:DbDown/firing', 'resolved:DbDown/resolved']);
    const am = rec.alertmanager.got.map((n) => n.status);
    assert.equal(am[am.length - 1], 'resolved', 'Alertmanager gets the resolve');
    assert.equal(am.filter((s) => s === 'firing').length, 1, `no re-send while silenced nor after the resolve: ${am.join(',')}`);
  });

  it('notifies an alert that was silenced when it fired once the silence ends', async () => {
    const { d, rec } = recordingDispatcher(['slack']);
    d.silence([{ name: 'alertname', value: 'SlowApi', isRegex: false, isEqual: true }], new Date(10 * MIN));
    d.receive(firing('SlowApi', 'warning'));
    await fake.tickAsync(5 * MIN);
    assert.deepEqual(rec.slack.summary(), []);
    await fake.tickAsync(7 * MIN);
    assert.deepEqual(rec.slack.summary(), ['new:SlowApi/firing']);
  });
});
