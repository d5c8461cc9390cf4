import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import {
  METRIC_TELEGRAM_CONNECTION_STATE, METRIC_TELEGRAM_DC_RTT, METRIC_TELEGRAM_UPDATES, TelegramHealth, TelegramSessionMonitor, createMemorySessionPool,
} from '../../instrumentations/telegram/index';
import { createTelegramTelemetry } from '../../instrumentations/telegram/telegram-telemetry';
import { collectMetrics, fakeClient, instrument, metricValue, API_HASH, API_ID } from '../instrumentations/telegram/harness';
import { until } from '../helpers/poll';
import { telegramEndpointStatus } from '../helpers/health';

async function connectionStates(): Promise<number[]> {
  const m = (await collectMetrics()).find((x) => x.descriptor.name === METRIC_TELEGRAM_CONNECTION_STATE);
  return (m?.dataPoints ?? []).map((p) => Number(p.attributes['telegram.dc']));
}

// Issue 19, item 12.
describe('regression: Telegram health report and its sources', () => {
  beforeEach(() => {
    instrument();
  });

  it('reports every monitored session, not only the last one attached', async () => {
    const a = fakeClient();
    const b = fakeClient();
    await a.client.connect();
    await b.client.connect();
    const health = new TelegramHealth();
    const ma = new TelegramSessionMonitor({ client: a.client, sessionId: 'a', sleep: async () => {} });
    const mb = new TelegramSessionMonitor({ client: b.client, sessionId: 'b', sleep: async () => {} });
    health.attachMonitor(ma);
    health.attachMonitor(mb);
    try {
      await b.client.disconnect(); // the second session is down: it must not hide behind the first
      const report = await health.report();
      assert.deepEqual(report.sessions?.map((s) => s.id), ['a', 'b']);
      assert.deepEqual(await telegramEndpointStatus(() => health.report()),
        { status: 'unhealthy', decidedBy: { rule: null, field: 'sessions[1].health.healthy', value: 0, level: 'critical' } });
      await a.client.disconnect(); // and the first: the body names it
      assert.deepEqual(await telegramEndpointStatus(() => health.report()),
        { status: 'unhealthy', decidedBy: { rule: null, field: 'session.health.healthy', value: 0, level: 'critical' } });
    } finally {
      ma.stop();
      mb.stop();
      for (const e of [a, b]) {
        await e.client.destroy();
        e.telegram.close();
      }
    }
  });

  it('reports -1 when its probe finds the home DC unreachable, and records the timeout as a round trip (what TelegramDcLatencyHigh judges)', async () => {
    const env = fakeClient();
    await env.client.connect();
    const telegram = createTelegramTelemetry();
    try {
      telegram.probeDcs(env.client, { minIntervalMs: 0, timeoutMs: 200 });
      assert.ok((await telegram.report()).metrics.dcLatency['2'] >= 0);
      const rtts = await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 2 });
      env.dc.stopAnsweringPings();
      const report = await telegram.report();
      assert.equal(report.metrics.dcLatency['2'], -1);
      assert.equal(await metricValue(METRIC_TELEGRAM_DC_RTT, { 'telegram.dc': 2 }), rtts + 1, 'the outage reaches the metric the rule reads');
    } finally {
      telegram.close();
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('drops a DC from the connection gauge once the app disconnected its client', async () => {
    const env = fakeClient({ dcId: 5 });
    await env.client.connect();
    try {
      assert.ok((await connectionStates()).includes(5));
      await env.client.disconnect();
      assert.ok(!(await connectionStates()).includes(5), 'a DC nobody wants is not reported as down');
    } finally {
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('never takes the session in use from the pool, and the DC probe follows the failover', async () => {
    const env = fakeClient();
    await env.client.connect();
    const clients: TelegramClient[] = [];
    const create = (session: string): TelegramClient => {
      const c = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
        connection: env.telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
      });
      clients.push(c);
      return c;
    };
    const telegram = createTelegramTelemetry();
    // A pool that (wrongly) lists the session in use first.
    const pool = createMemorySessionPool([{ id: 'in-use', session: env.session }, { id: 'standby', session: env.dc.newSession() }]);
    try {
      const monitor = telegram.monitorSession({ client: env.client, pool, createClient: create, sleep: async () => {} });
      const probe = telegram.probeDcs(env.client, { minIntervalMs: 0 });
      assert.equal(await monitor.failover('test'), 'failed_over');
      assert.equal(monitor.sessionId, 'standby');
      assert.equal(env.dc.maxConcurrentPerSession, 1);
      assert.equal(probe.client, monitor.client as unknown, 'the probe pings the client now in use');
    } finally {
      telegram.close();
      for (const c of clients) await c.destroy();
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('counts updates for a client that connected before the instrumentation was enabled', async () => {
    const { instrumentation } = instrument();
    instrumentation.disable();
    const env = fakeClient();
    try {
      await env.client.connect();
      instrumentation.enable();
      await env.client.invoke(new Api.updates.GetState()); // pulseguard sees the client
      const before = await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdateUserTyping' });
      env.dc.pushUpdate(new Api.UpdateShort({
        update: new Api.UpdateUserTyping({ userId: 5n as never, action: new Api.SendMessageTypingAction() }), date: Math.floor(Date.now() / 1000),
      }));
      await until(async () => (await metricValue(METRIC_TELEGRAM_UPDATES, { 'telegram.update.type': 'UpdateUserTyping' })) === before + 1,
        'the update to be counted', 3000);
    } finally {
      instrumentation.enable();
      await env.client.destroy();
      env.telegram.close();
    }
  });
});
