import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { AlertDispatcher } from '../../../src/alerting/index';
import { resolveConfig } from '../../../src/config/index';
import { createLogger } from '../../../src/logging/index';
import { LogCapture } from '../../helpers/log-capture';
import { firing, resolved } from '../../helpers/alerts';
import { RecordingNotifier } from '../../helpers/alert-recorder';

const MIN = 60_000;

describe('AlertDispatcher', () => {
  let fake: sinon.SinonFakeTimers;
  let rec: Record<'log' | 'slack' | 'email' | 'webhook' | 'alertmanager', RecordingNotifier>;
  let logs: LogCapture;

  function dispatcher(alerting: Record<string, unknown> = {}): AlertDispatcher {
    const config = resolveConfig({ service: { name: 't' }, alerting: { groupWaitMs: 30_000, groupIntervalMs: MIN, ...alerting } });
    return new AlertDispatcher({ config: config.alerting, logger: createLogger({ destination: logs }), notifiers: rec, random: () => 0.5 });
  }
  const summary = (r: RecordingNotifier) => r.got.map((n) => `${n.reason}:${n.alerts.map((a) => `${a.labels.alertname}/${a.status}`).join('+')}`);

  beforeEach(() => {
    fake = sinon.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    rec = { log: new RecordingNotifier('log'), slack: new RecordingNotifier('slack'), email: new RecordingNotifier('email'), webhook: new RecordingNotifier('webhook'), alertmanager: new RecordingNotifier('alertmanager') };
    logs = new LogCapture();
  });
  afterEach(() => fake.restore());

  describe('routing by the alerting matrix', () => {
    it('sends critical to slack and email, warning to slack, info to logs', async () => {
      const d = dispatcher();
      d.receive(firing('DbDown', 'critical'));
      d.receive(firing('SlowApi', 'warning'));
      d.receive(firing('NewDeploy', 'info'));
      await fake.tickAsync(31_000);
      assert.deepEqual(summary(rec.slack).sort(), ['new:DbDown/firing', 'new:SlowApi/firing']);
      assert.deepEqual(summary(rec.email), ['new:DbDown/firing']);
      assert.deepEqual(summary(rec.log), ['new:NewDeploy/firing']);
      assert.deepEqual(summary(rec.webhook).sort(), ['new:DbDown/firing', 'new:NewDeploy/firing', 'new:SlowApi/firing'], 'a generic webhook gets every level');
    });

    it('waits group_wait and sends alerts of one group together', async () => {
      const d = dispatcher({ groupBy: ['alertname'] });
      d.receive(firing('HighLatency', 'warning', new Date(0), { route: '/a' }));
      await fake.tickAsync(10_000);
      d.receive(firing('HighLatency', 'warning', new Date(0), { route: '/b' }));
      await fake.tickAsync(19_000);
      assert.equal(rec.slack.got.length, 0, 'nothing before group_wait');
      await fake.tickAsync(2000);
      assert.equal(rec.slack.got.length, 1);
      assert.equal(rec.slack.got[0].alerts.length, 2);
    });
  });

  describe('repeats and escalation', () => {
    it('repeats a high alert every 5 minutes 3 times, then escalates once to the escalation channels', async () => {
      const d = dispatcher();
      d.receive(firing('DbDown', 'critical'));
      await fake.tickAsync(31_000 + 60 * MIN);
      assert.deepEqual(summary(rec.slack), ['new:DbDown/firing', 'repeat:DbDown/firing', 'repeat:DbDown/firing', 'repeat:DbDown/firing']);
      const gaps = rec.slack.got.map((n) => n.repeat);
      assert.deepEqual(gaps, [0, 1, 2, 3]);
      assert.deepEqual(summary(rec.webhook).filter((x) => x.startsWith('escalation')), ['escalation:DbDown/firing']);
    });

    it('repeats a medium alert every 15 minutes twice and never escalates (matrix: escalation false)', async () => {
      const d = dispatcher();
      d.receive(firing('SlowApi', 'warning'));
      await fake.tickAsync(31_000 + 120 * MIN);
      assert.deepEqual(summary(rec.slack), ['new:SlowApi/firing', 'repeat:SlowApi/firing', 'repeat:SlowApi/firing']);
      assert.deepEqual(summary(rec.webhook).filter((x) => x.startsWith('escalation')), []);
    });

    it('sends a resolved notification and forgets the alert', async () => {
      const d = dispatcher();
      const a = firing('SlowApi', 'warning');
      d.receive(a);
      await fake.tickAsync(31_000);
      d.receive(resolved(a, new Date()));
      await fake.tickAsync(MIN);
      assert.deepEqual(summary(rec.slack), ['new:SlowApi/firing', 'resolved:SlowApi/resolved']);
      await fake.tickAsync(60 * MIN);
      assert.equal(rec.slack.got.length, 2, 'nothing after the resolution');
    });
  });

  describe('silences', () => {
    it('drops alerts matched by an active silence and delivers again after it expires', async () => {
      const d = dispatcher();
      d.silence([{ name: 'alertname', value: 'Slow.*', isRegex: true, isEqual: true }], new Date(10 * MIN));
      d.receive(firing('SlowApi', 'warning'));
      await fake.tickAsync(31_000);
      assert.equal(rec.slack.got.length, 0);
      await fake.tickAsync(10 * MIN);
      d.receive(firing('SlowApi', 'warning'));
      await fake.tickAsync(31_000);
      assert.equal(rec.slack.got.length, 1);
    });

    it('loads silences from config', async () => {
      const d = dispatcher({ silences: [{ matchers: [{ name: 'severity', value: 'warning' }], endsAt: new Date(3_600_000).toISOString() }] });
      d.receive(firing('SlowApi', 'warning'));
      d.receive(firing('DbDown', 'critical'));
      await fake.tickAsync(31_000);
      assert.deepEqual(summary(rec.slack), ['new:DbDown/firing']);
    });
  });

  describe('Alertmanager channel', () => {
    it('gets every alert at once, re-sent while firing, and the resolve with endsAt', async () => {
      const d = dispatcher({ channels: { alertmanager: { url: 'http://127.0.0.1:1', resendIntervalMs: MIN } } });
      const a = firing('DbDown', 'critical');
      d.receive(a);
      await fake.tickAsync(10);
      assert.equal(rec.alertmanager.got.length, 1, 'no group wait for Alertmanager');
      await fake.tickAsync(3 * MIN);
      assert.equal(rec.alertmanager.got.length, 4);
      d.receive(resolved(a, new Date()));
      await fake.tickAsync(5 * MIN);
      const last = rec.alertmanager.got[rec.alertmanager.got.length - 1];
      assert.equal(last.status, 'resolved');
      assert.equal(rec.alertmanager.got.length, 5, 'no re-send after the resolve');
    });
  });

  it('warns once about channels the user named in the matrix but did not configure', () => {
    const config = resolveConfig({ service: { name: 't' }, alerting: { matrix: { medium: { channels: ['slack', 'email', 'log'] } } } });
    new AlertDispatcher({ config: config.alerting, logger: createLogger({ destination: logs }), notifiers: { log: rec.log } });
    const warnings = logs.json().filter((l) => l.level === 40).map((l) => l.channel);
    assert.deepEqual(warnings.sort(), ['email', 'slack']);
  });

  it('flushes held groups on shutdown', async () => {
    const d = dispatcher();
    d.receive(firing('DbDown', 'critical'));
    await d.shutdown(1000);
    assert.deepEqual(summary(rec.email), ['new:DbDown/firing']);
  });
});
