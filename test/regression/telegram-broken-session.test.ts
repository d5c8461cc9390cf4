import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import {
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_RPC_IN_FLIGHT, METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, METRIC_TELEGRAM_SESSION_ERRORS,
  TelegramHealth, TelegramSessionMonitor,
} from '../../instrumentations/telegram/index';
import { fakeClient, instrument, metricValue } from '../instrumentations/telegram/harness';
import { until } from '../helpers/poll';
import { telegramEndpointStatus } from '../helpers/health';

// Issue 19, item 5: a session whose auth key the server forgot (-404) must not report healthy.
describe('regression: Telegram transport error -404', () => {
  it('marks the connection down, counts a session error, shows the stuck call and makes /health/telegram unhealthy', async () => {
    instrument();
    const env = fakeClient();
    await env.client.connect();
    const monitor = new TelegramSessionMonitor({ client: env.client, sleep: async () => {} });
    const health = new TelegramHealth();
    const endpoint = () => telegramEndpointStatus(() => health.report());
    health.attachMonitor(monitor);
    const errors = await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'TRANSPORT_ERROR_404' });
    try {
      assert.equal((await endpoint()).status, 'healthy');
      env.dc.forgetAuthKey(env.session);
      const stuck = env.client.invoke(new Api.updates.GetState());
      stuck.catch(() => undefined);
      await until(async () => (await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'TRANSPORT_ERROR_404' })) === errors + 1,
        'the -404 to be counted as a session error', 3000);
      assert.equal(await metricValue(METRIC_TELEGRAM_CONNECTION_STATE, { 'telegram.dc': 2 }), 0, 'the gauge no longer says connected');
      assert.ok((await metricValue(METRIC_TELEGRAM_RPC_IN_FLIGHT, { 'telegram.method.class': 'updates' })) >= 1, 'the hanging call is in flight');
      await new Promise((r) => setTimeout(r, 50));
      assert.ok((await metricValue(METRIC_TELEGRAM_RPC_IN_FLIGHT_AGE, { 'telegram.method.class': 'updates' })) > 0.04, 'its age grows');
      const h = monitor.health();
      assert.equal(h.connected, false);
      assert.equal(h.healthy, false);
      assert.deepEqual(h.sessionErrors, ['TRANSPORT_ERROR_404']);
      assert.deepEqual(await endpoint(), { status: 'unhealthy', decidedBy: { rule: null, field: 'session.health.healthy', value: 0, level: 'critical' } });
    } finally {
      monitor.stop();
      await env.client.destroy();
      env.telegram.close();
    }
  });
});
