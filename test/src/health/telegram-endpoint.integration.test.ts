import { strict as assert } from 'node:assert';
import { start, getTelemetry } from '../../../src/index';
import { fakeClient } from '../../instrumentations/telegram/harness';
import { until } from '../../helpers/poll';

describe('/health/telegram against the fake Telegram DC', () => {
  afterEach(async () => {
    await getTelemetry()?.shutdown();
  });

  it('answers 200, then 503 while the DC is unreachable, then 200 after telegram.reconnect repairs it', async () => {
    const t = await start({ service: { name: 'tg-health' }, logging: { level: 'silent' }, rules: { enabled: false },
      exporters: { prometheus: { enabled: false } }, health: { port: 0, host: '127.0.0.1', cacheTtlMs: 0 },
      // The Telegram counters are process-wide and other tests flood-wait: judge this session alone.
      thresholds: { telegram: { floodWait: { warning: 1e6, critical: 1e6 }, messageLatency: { warning: 1e6, critical: 1e6 }, dcLatency: { warning: 1e6, critical: 1e6 } } } });
    const url = `${String(t.health.url).replace(/\/$/, '')}/health/telegram`;
    const env = fakeClient();
    await env.client.connect();
    const monitor = t.telegram?.monitorSession({ client: env.client, sleep: async () => {} });
    assert.ok(monitor);
    try {
      assert.equal((await fetch(url)).status, 200);
      env.dc.setReachable(false);
      await until(async () => (await fetch(url)).status === 503, '/health/telegram to answer 503', 5000);
      const body = (await (await fetch(url)).json()) as { status: string };
      assert.equal(body.status, 'fail');
      env.dc.setReachable(true);
      const run = await t.recovery.run('telegram.reconnect', { reason: 'TelegramDown' });
      assert.equal(run.outcome, 'succeeded', run.error);
      await until(async () => (await fetch(url)).status === 200, '/health/telegram to answer 200 again', 5000);
    } finally {
      monitor.stop();
      await env.client.disconnect();
    }
  });
});
