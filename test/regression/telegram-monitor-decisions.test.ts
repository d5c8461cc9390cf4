import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import {
  METRIC_TELEGRAM_SESSION_ERRORS, TelegramSessionMonitor, createMemorySessionPool,
} from '../../instrumentations/telegram/index';
import { telegramCollectors } from '../../instrumentations/telegram/collectors';
import { FakeTelegram, rpcError } from '../../src/testing/index';
import { API_HASH, API_ID, fakeClient, instrument, metricValue } from '../instrumentations/telegram/harness';

// Issue 19, items 1, 3 and 8: decisions on a live account must not follow ordinary errors.
describe('regression: Telegram session monitor decisions', () => {
  const clients: TelegramClient[] = [];
  let env: ReturnType<typeof fakeClient>;
  const noSleep = async (): Promise<void> => {};

  beforeEach(() => {
    instrument();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    env?.telegram.close();
  });

  const standbyClient = (session: string): TelegramClient => {
    const c = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
      connection: env.telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    clients.push(c);
    return c;
  };

  it('does not fail over on six MESSAGE_TOO_LONG replies (item 1)', async () => {
    env = fakeClient();
    clients.push(env.client);
    await env.client.connect();
    const pool = createMemorySessionPool([{ id: 'standby-1', session: env.dc.newSession() }]);
    const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standbyClient, sleep: noSleep });
    try {
      env.dc.on('messages.SendMessage', () => rpcError('MESSAGE_TOO_LONG'));
      for (let i = 0; i < 6; i++) await assert.rejects(env.client.sendMessage('me', { message: 'x' }), /MESSAGE_TOO_LONG/);
      const h = monitor.health();
      assert.equal(h.performance.failures, 6);
      assert.equal(h.errorCount, 0);
      assert.equal(await monitor.checkNow(), 'none');
      assert.equal(monitor.client, env.client, 'still on the primary session');
      assert.equal(pool.available(), 1, 'the standby stays in the pool');
    } finally {
      monitor.stop();
    }
  });

  it('does not reconnect after one flood wait GramJS slept in a quiet window (item 3)', async function () {
    this.timeout(10_000);
    env = fakeClient({ floodSleepThreshold: 60 });
    clients.push(env.client);
    await env.client.connect();
    const monitor = new TelegramSessionMonitor({ client: env.client, maxAvgLatencyMs: 500, sleep: noSleep });
    const connections = env.dc.connections;
    try {
      env.dc.once('updates.GetState', () => rpcError('FLOOD_WAIT_1'));
      await env.client.invoke(new Api.updates.GetState()); // GramJS sleeps 1 s, then retries
      const h = monitor.health();
      assert.equal(h.performance.calls, 1);
      assert.ok(h.performance.avgLatencyMs < 500, `latency without the sleep, got ${h.performance.avgLatencyMs} ms`);
      assert.equal(await monitor.checkNow(), 'none');
      assert.equal(env.dc.connections, connections, 'no reconnect');
      const recent = telegramCollectors().recentLatenciesMs();
      assert.ok(recent[recent.length - 1] < 500, 'the health report latency excludes the sleep too');
    } finally {
      monitor.stop();
    }
  });

  it('does not count the AUTH_KEY_UNREGISTERED of a bot login on an empty session (item 8)', async function () {
    this.timeout(15_000);
    const telegram = new FakeTelegram();
    const dc = telegram.addDataCenter({ dcId: 2 });
    env = { telegram, dc, client: undefined as never, session: '' };
    const client = new TelegramClient(new StringSession(''), API_ID, API_HASH, {
      connection: telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    client.session.setDC(2, dc.ipAddress, dc.port);
    clients.push(client);
    const before = await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'AUTH_KEY_UNREGISTERED' });
    dc.once('updates.GetState', () => rpcError('AUTH_KEY_UNREGISTERED')); // GramJS's "am I logged in?" probe
    dc.on('auth.ImportBotAuthorization', () => new Api.auth.Authorization({ user: dc.self }));
    await client.start({ botAuthToken: '123456:fake-bot-token' });
    assert.ok(dc.callCount('auth.ImportBotAuthorization') >= 1, 'the bot logged in');
    assert.equal(await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'AUTH_KEY_UNREGISTERED' }), before);
    // The same error outside the login probe still counts.
    dc.once('updates.GetState', () => rpcError('AUTH_KEY_UNREGISTERED'));
    await assert.rejects(client.invoke(new Api.updates.GetState()));
    assert.equal(await metricValue(METRIC_TELEGRAM_SESSION_ERRORS, { 'telegram.error': 'AUTH_KEY_UNREGISTERED' }), before + 1);
  });
});
