import { strict as assert } from 'node:assert';
import { Api } from 'telegram';
import { DcProbe, TelegramHealth, TelegramSessionMonitor, createTelegramTelemetry } from '../../../instrumentations/telegram/index';
import { rpcError } from '../../../src/testing/index';
import { fakeClient, instrument } from './harness';

describe('TelegramHealth', () => {
  let env: ReturnType<typeof fakeClient>;

  beforeEach(async () => {
    instrument();
    env = fakeClient({ dcId: 2, floodSleepThreshold: 0 });
    await env.client.connect();
  });

  afterEach(async () => {
    await env.client.destroy();
    env.telegram.close();
  });

  describe('#report', () => {
    it('answers with the spec fields: messageLatency, dcLatency, floodWait, migrations', async () => {
      await env.client.invoke(new Api.updates.GetState());
      const health = new TelegramHealth();
      const probe = new DcProbe(env.client, { minIntervalMs: 0 });
      health.attachProbe(probe);
      const r = await health.report();
      assert.ok(Array.isArray(r.metrics.messageLatency) && r.metrics.messageLatency.length > 0);
      assert.ok(r.metrics.dcLatency['2'] >= 0, 'the home DC answered the probe');
      assert.equal(typeof r.metrics.floodWait, 'number');
      assert.equal(typeof r.metrics.migrations, 'number');
      assert.ok(!Number.isNaN(Date.parse(r.timestamp)));
      assert.equal('status' in r, false, 'figures only: the rules judge /health/telegram');
    });

    it('counts the flood waits of the last hour (the figure TelegramFloodWaitsHigh judges)', async () => {
      const health = new TelegramHealth();
      const before = (await health.report()).metrics.floodWait;
      env.dc.on('messages.SendMessage', () => rpcError('FLOOD_WAIT_10'));
      for (let i = before; i < 20; i++) await assert.rejects(env.client.sendMessage('me', { message: 'x' }));
      env.dc.off('messages.SendMessage');
      const r = await health.report();
      assert.ok(r.metrics.floodWait >= 20);
    });

    it('includes the session monitor view, unhealthy after a session error', async () => {
      const health = new TelegramHealth();
      const monitor = new TelegramSessionMonitor({ client: env.client, sessionId: 'main' });
      health.attachMonitor(monitor);
      try {
        env.dc.revoke(env.session, 'SESSION_REVOKED');
        await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        const r = await health.report();
        assert.equal(r.session?.id, 'main');
        assert.deepEqual(r.session?.health.sessionErrors, ['SESSION_REVOKED']);
        // The endpoint turns unhealthy on it (test/src/health/telegram-judge.test.ts).
        assert.equal(r.session?.health.healthy, false);
      } finally {
        monitor.stop();
      }
    });
  });
});

describe('DcProbe', () => {
  it('reports -1 for a DC that does not answer, and only probes other DCs when probeAllDcs is set', async () => {
    instrument();
    const env = fakeClient({ dcId: 2 });
    await env.client.connect();
    try {
      const homeOnly = await new DcProbe(env.client, { minIntervalMs: 0 }).measure();
      assert.deepEqual(Object.keys(homeOnly), ['2']);
      env.dc.stopAnsweringPings();
      // Ping goes through invoke; the DC ignores it, so the probe times out.
      const r = await new DcProbe(env.client, { minIntervalMs: 0, timeoutMs: 100 }).measure();
      assert.equal(r[2], -1);
    } finally {
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('with probeAllDcs, reaches other DCs through an exported sender and reports -1 for unreachable or unknown ones', async function () {
    this.timeout(10_000);
    instrument();
    const env = fakeClient({ dcId: 2 });
    const other = env.telegram.addDataCenter({ dcId: 1 });
    env.telegram.addDataCenter({ dcId: 3 }).setReachable(false);
    await env.client.connect();
    try {
      const r = await new DcProbe(env.client, { probeAllDcs: true, minIntervalMs: 0, timeoutMs: 1000 }).measure();
      assert.ok(r[1] >= 0 && r[2] >= 0, `DCs 1 and 2 answered (${JSON.stringify(r)})`);
      assert.equal(other.authKeysCreated, 1, 'GramJS created a key with DC 1 and imported the authorization');
      assert.equal(other.callCount('Ping'), 1);
      assert.deepEqual([r[3], r[4], r[5]], [-1, -1, -1]);
    } finally {
      await env.client.destroy();
      env.telegram.close();
    }
  });

  it('caps probes to one per minIntervalMs', async () => {
    instrument();
    const env = fakeClient({ dcId: 2 });
    await env.client.connect();
    try {
      const probe = new DcProbe(env.client, { minIntervalMs: 60_000 });
      await probe.measure();
      await probe.measure();
      await probe.measure();
      assert.equal(env.dc.callCount('Ping'), 1);
    } finally {
      await env.client.destroy();
      env.telegram.close();
    }
  });
});

describe('createTelegramTelemetry', () => {
  it('builds telemetry.telegram with monitorSession, probeDcs, sendGuard and the report figures', async () => {
    const tg = createTelegramTelemetry({ healthCheckIntervalMs: 60_000 });
    const env = fakeClient();
    await env.client.connect();
    try {
      const m = tg.monitorSession({ client: env.client });
      assert.ok(m instanceof TelegramSessionMonitor);
      tg.probeDcs(env.client, { minIntervalMs: 0 });
      const r = await tg.report();
      assert.equal(r.session?.id, 'primary');
      assert.deepEqual(r.sessions?.map((s) => s.id), ['primary']);
      assert.equal('httpStatus' in tg, false, 'the status is the rules\' (telemetry.health.componentReport)');
    } finally {
      tg.close();
      await env.client.destroy();
      env.telegram.close();
    }
  });
});
