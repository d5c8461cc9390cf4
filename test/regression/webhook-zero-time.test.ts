import { strict as assert } from 'node:assert';
import { alertmanagerWebhookPayload } from '../../src/alerting/index';
import { firing, resolved, notification } from '../helpers/alerts';

// Issue 18 item 11: firing alerts in the webhook payload carried endsAt 1970-01-01T00:00:00.000Z;
// Alertmanager's receivers expect its zero time.
describe('alertmanagerWebhookPayload (regression: endsAt of a firing alert)', () => {
  it('sends Alertmanager\'s zero time for a firing alert and the real end for a resolved one', () => {
    const a = firing('DbDown', 'critical');
    const fired = alertmanagerWebhookPayload(notification('g', a), 'r') as { alerts: Array<{ endsAt: string }> };
    assert.equal(fired.alerts[0].endsAt, '0001-01-01T00:00:00Z');
    const done = alertmanagerWebhookPayload(notification('g', resolved(a, new Date(5000))), 'r') as { alerts: Array<{ endsAt: string }> };
    assert.equal(done.alerts[0].endsAt, '1970-01-01T00:00:05.000Z');
  });
});
