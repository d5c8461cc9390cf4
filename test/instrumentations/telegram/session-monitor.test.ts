import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { Raw } from 'telegram/events';
import sinon from 'sinon';
import { METRIC_TELEGRAM_RECONNECTS, TelegramSessionMonitor, createMemorySessionPool } from '../../../instrumentations/telegram/index';
import { rpcError } from '../../../src/testing/index';
import { API_HASH, API_ID, fakeClient, instrument, metricValue } from './harness';

describe('TelegramSessionMonitor', () => {
  let env: ReturnType<typeof fakeClient>;
  const clients: TelegramClient[] = [];
  const noSleep = async (): Promise<void> => {};

  beforeEach(async () => {
    instrument();
    env = fakeClient();
    clients.push(env.client);
    await env.client.connect();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    env.telegram.close();
  });

  const standbyClient = (session: string): TelegramClient => {
    const c = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
      connection: env.telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    clients.push(c);
    return c;
  };

  describe('#health', () => {
    it('reports last use, error count and performance of the current window', async () => {
      const monitor = new TelegramSessionMonitor({ client: env.client, sleep: noSleep });
      try {
        await env.client.invoke(new Api.updates.GetState());
        env.dc.once('updates.GetState', () => rpcError('PEER_ID_INVALID'));
        await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        const h = monitor.health();
        assert.equal(h.performance.calls, 2);
        assert.equal(h.performance.failures, 1);
        assert.equal(h.errorCount, 0, 'PEER_ID_INVALID is about the request, not the session');
        assert.ok(h.lastUsed !== undefined && Date.now() - h.lastUsed < 5000);
        assert.equal(h.healthy, true);
      } finally {
        monitor.stop();
      }
    });
  });

  describe('#checkNow', () => {
    it('recovers a disconnected session: reconnect, verify, keep the update handlers', async () => {
      const monitor = new TelegramSessionMonitor({ client: env.client, sleep: noSleep });
      const handler = (): void => {};
      env.client.addEventHandler(handler, new Raw({}));
      try {
        await env.client.disconnect();
        const before = env.dc.callCount('users.GetUsers');
        const reconnects = await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'recovery' });
        assert.equal(await monitor.checkNow(), 'recovered');
        assert.equal(await metricValue(METRIC_TELEGRAM_RECONNECTS, { reason: 'recovery' }), reconnects + 1);
        assert.equal(env.client.connected, true);
        assert.ok(env.dc.callCount('users.GetUsers') > before, 'verified with getMe');
        assert.ok(env.client.listEventHandlers().some(([, cb]) => cb === handler));
        assert.equal(monitor.stats.recoveries, 1);
      } finally {
        monitor.stop();
      }
    });

    it('fails over to a standby on AUTH_KEY_UNREGISTERED and never runs one session twice', async () => {
      const standby = env.dc.newSession();
      const pool = createMemorySessionPool([{ id: 'standby-1', session: standby }]);
      const switched: TelegramClient[] = [];
      const monitor = new TelegramSessionMonitor({
        client: env.client, pool, createClient: standbyClient, sleep: noSleep, onFailover: (next) => { switched.push(next); },
      });
      const handler = (): void => {};
      env.client.addEventHandler(handler, new Raw({}));
      try {
        env.dc.revoke(env.session);
        await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        assert.deepEqual(monitor.health().sessionErrors, ['AUTH_KEY_UNREGISTERED']);
        assert.equal(await monitor.checkNow(), 'failed_over');
        assert.equal(monitor.sessionId, 'standby-1');
        assert.equal(switched.length, 1);
        assert.equal(monitor.client, switched[0]);
        assert.ok(monitor.client.listEventHandlers().some(([, cb]) => cb === handler), 'update handlers moved');
        const state = await monitor.client.invoke(new Api.updates.GetState());
        assert.ok(state instanceof Api.updates.State);
        assert.equal(env.client.connected, false, 'the revoked client was disconnected');
        assert.equal(env.dc.maxConcurrentPerSession, 1);
        assert.equal(pool.available(), 0);
      } finally {
        monitor.stop();
      }
    });

    it('attempts recovery (not failover) when errors stay at or under 5 but the session is down', async () => {
      const pool = createMemorySessionPool([{ id: 'standby-1', session: env.dc.newSession() }]);
      const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standbyClient, sleep: noSleep });
      try {
        for (let i = 0; i < 3; i++) {
          env.dc.once('updates.GetState', () => rpcError('INPUT_CONSTRUCTOR_INVALID'));
          await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        }
        await env.client.disconnect();
        assert.equal(await monitor.checkNow(), 'recovered');
        assert.equal(pool.available(), 1, 'the standby was not used');
      } finally {
        monitor.stop();
      }
    });

    it('fails over when more than 5 connection errors happened in the window', async () => {
      const pool = createMemorySessionPool([{ id: 'standby-1', session: env.dc.newSession() }]);
      const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standbyClient, sleep: noSleep });
      try {
        await env.client.disconnect();
        for (let i = 0; i < 6; i++) await assert.rejects(env.client.invoke(new Api.updates.GetState()), /disconnected/);
        assert.equal(monitor.health().errorCount, 6);
        assert.equal(monitor.health().healthy, false);
        assert.equal(await monitor.checkNow(), 'failed_over');
      } finally {
        monitor.stop();
      }
    });

    it('reports failover_failed when the pool has no standby', async () => {
      const pool = createMemorySessionPool([]);
      const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standbyClient, sleep: noSleep });
      try {
        env.dc.revoke(env.session);
        await assert.rejects(env.client.invoke(new Api.updates.GetState()));
        assert.equal(await monitor.checkNow(), 'failover_failed');
        assert.equal(monitor.client, env.client);
      } finally {
        monitor.stop();
      }
    });
  });

  describe('#start', () => {
    it('checks every healthCheckIntervalMs and fails over every rotationIntervalMs (fake clock)', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const pool = createMemorySessionPool([]);
      const monitor = new TelegramSessionMonitor({
        client: env.client, pool, createClient: standbyClient, healthCheckIntervalMs: 300_000, rotationIntervalMs: 1_000_000, sleep: noSleep,
      });
      const check = sinon.spy(monitor, 'checkNow');
      const rotate = sinon.spy(monitor, 'failover');
      try {
        monitor.start();
        clock.tick(300_000 * 3);
        assert.equal(check.callCount, 3);
        await new Promise((r) => setImmediate(r));
        assert.equal(rotate.callCount, 0);
        clock.tick(100_000);
        await new Promise((r) => setImmediate(r));
        assert.equal(rotate.calledWith('scheduled'), true);
      } finally {
        monitor.stop();
        clock.restore();
      }
    });
  });
});
