import { strict as assert } from 'node:assert';
import { Api, TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { METRIC_TELEGRAM_FLOOD_WAITS, TelegramSessionMonitor, createMemorySessionPool } from '../../../instrumentations/telegram/index';
import { delay, rpcError } from '../../../src/testing/index';
import { API_HASH, API_ID, fakeClient, instrument, metricValue } from './harness';

const FAST = { stepTimeoutMs: 300, backoff: { initialMs: 10, maxRetries: 2, maxMs: 20, jitter: 0 } };

/** Rejects when `p` is still pending after `ms`: no monitor promise may outlive its deadline. */
async function settlesWithin<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
    })]);
  } finally {
    clearTimeout(timer);
  }
}

// The rest of the matrix (DC unreachable, -404, the app destroying a client during recovery)
// lives in test/regression/telegram-monitor-deadlines.test.ts and telegram-broken-session.test.ts.
describe('Telegram fault matrix (fake DC, real GramJS)', () => {
  let env: ReturnType<typeof fakeClient>;
  const clients: TelegramClient[] = [];
  const standby = (session: string): TelegramClient => {
    const c = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
      connection: env.telegram.Connection, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE),
    });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    instrument();
    env = fakeClient({ floodSleepThreshold: 0 });
    clients.push(env.client);
    await env.client.connect();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    env.telegram.close();
  });

  it('a flood storm is counted and neither recovers nor fails over', async () => {
    const pool = createMemorySessionPool([{ id: 'standby', session: env.dc.newSession() }]);
    const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standby, ...FAST });
    const before = await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, { 'telegram.flood.handling': 'raised' });
    try {
      env.dc.on('messages.SendMessage', () => rpcError('FLOOD_WAIT_30'));
      for (let i = 0; i < 10; i++) await assert.rejects(env.client.sendMessage('me', { message: 'x' }));
      assert.equal(await metricValue(METRIC_TELEGRAM_FLOOD_WAITS, { 'telegram.flood.handling': 'raised' }), before + 10);
      assert.equal(await settlesWithin(monitor.checkNow(), 2000), 'none');
      assert.equal(pool.available(), 1);
    } finally {
      monitor.stop();
    }
  });

  it('a DC that answers too slowly fails recovery within the step deadline', async () => {
    const monitor = new TelegramSessionMonitor({ client: env.client, ...FAST });
    try {
      env.dc.on('users.GetUsers', () => delay(1000, new Api.UserEmpty({ id: 1n as never })));
      await env.client.disconnect();
      assert.equal(await settlesWithin(monitor.checkNow(), 2500), 'recovery_failed');
      assert.ok(monitor.health().healthy === false || env.client.connected === true);
    } finally {
      monitor.stop();
    }
  });

  it('a server drop during failover leaves one connection per session and a settled monitor', async () => {
    const pool = createMemorySessionPool([{ id: 'standby', session: env.dc.newSession() }]);
    const monitor = new TelegramSessionMonitor({ client: env.client, pool, createClient: standby, ...FAST });
    try {
      env.dc.once('users.GetUsers', () => {
        env.dc.drop(); // the verification call of the standby dies with the connection
        return delay(1000, new Api.UserEmpty({ id: 1n as never }));
      });
      const action = await settlesWithin(monitor.failover('test'), 3000);
      assert.ok(action === 'failover_failed' || action === 'failed_over', action);
      assert.equal(env.dc.maxConcurrentPerSession, 1);
    } finally {
      monitor.stop();
    }
  });
});
