import { strict as assert } from 'node:assert';
import { AlertDispatcher, AlertmanagerNotifier } from '../../../src/alerting/index';
import { resolveConfig } from '../../../src/config/index';
import { createLogger } from '../../../src/logging/index';
import { HttpReceiver } from '../../helpers/http-receiver';
import { AlertmanagerProcess } from '../../helpers/alertmanager';
import { LogCapture } from '../../helpers/log-capture';
import { firing, resolved } from '../../helpers/alerts';
import { eventually, until } from '../../helpers/poll';

/** How long each wait on the real Alertmanager may take, and how often to ask it (every request is an HTTP call). */
const AM_WAIT_MS = 10_000;
const AM_POLL_MS = 100;

describe('Alertmanager 0.25 (real server)', function () {
  this.timeout(40_000);
  const am = new AlertmanagerProcess();
  const receiver = new HttpReceiver();
  let dispatcher: AlertDispatcher;

  before(async () => {
    const hook = await receiver.start();
    await am.start(`
route:
  receiver: hook
  group_by: [alertname]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hook}/am-webhook
        send_resolved: true
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname]
`);
    const config = resolveConfig({ service: { name: 't' }, alerting: { channels: { log: { enabled: false }, alertmanager: { url: am.url, resendIntervalMs: 1000 } }, matrix: { high: { channels: [] }, medium: { channels: [] }, low: { channels: [] } } } });
    dispatcher = new AlertDispatcher({ config: config.alerting, logger: createLogger({ destination: new LogCapture() }), notifiers: { alertmanager: new AlertmanagerNotifier(am.url) } });
  });
  after(async () => {
    await dispatcher?.shutdown(1000);
    await am.stop();
    await receiver.stop();
  });

  it('receives a firing alert, groups it, and notifies its webhook receiver', async () => {
    dispatcher.receive(firing('PgPoolExhausted', 'critical', new Date()));
    const active = await eventually(async () => (await am.alerts()).find((a) => a.labels.alertname === 'PgPoolExhausted' && a.labels.severity === 'critical'),
      'the alert in Alertmanager', AM_WAIT_MS, AM_POLL_MS);
    assert.equal(active.status.state, 'active');
    await receiver.waitFor(1, 10_000);
    const body = receiver.requests[0].body as { status: string; groupLabels: Record<string, string> };
    assert.equal(body.status, 'firing');
    assert.deepEqual(body.groupLabels, { alertname: 'PgPoolExhausted' });
  });

  it('inhibits the warning of the same alert while the critical fires', async () => {
    dispatcher.receive(firing('PgPoolExhausted', 'warning', new Date()));
    const warning = await eventually(async () => {
      const a = (await am.alerts()).find((x) => x.labels.alertname === 'PgPoolExhausted' && x.labels.severity === 'warning');
      return a && a.status.state === 'suppressed' ? a : undefined;
    }, 'the inhibited warning', AM_WAIT_MS, AM_POLL_MS);
    assert.ok(warning.status.inhibitedBy.length > 0);
  });

  it('resolves: the same labels re-posted with endsAt, and a resolved notification follows', async () => {
    const before = receiver.requests.length;
    dispatcher.receive(resolved(firing('PgPoolExhausted', 'critical', new Date(Date.now() - 60_000)), new Date()));
    dispatcher.receive(resolved(firing('PgPoolExhausted', 'warning', new Date(Date.now() - 60_000)), new Date()));
    await until(async () => !(await am.alerts()).some((a) => a.labels.alertname === 'PgPoolExhausted'), 'no active PgPoolExhausted alert', AM_WAIT_MS, AM_POLL_MS);
    await until(() => receiver.requests.slice(before).some((r) => (r.body as { status: string }).status === 'resolved'), 'a resolved webhook', AM_WAIT_MS, AM_POLL_MS);
  });
});
