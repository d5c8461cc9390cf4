import { strict as assert } from 'node:assert';
import { TelegramClient } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { TelegramSessionMonitor, createMemorySessionPool } from '../../instrumentations/telegram/index';
import { FakeTelegram, noReply, type FakeDataCenter } from '../../src/testing/index';
import { API_HASH, API_ID, instrument } from '../instrumentations/telegram/harness';

const FAST = { stepTimeoutMs: 300, backoff: { initialMs: 10, maxRetries: 3, maxMs: 20, jitter: 0 } };

/** Settles with the promise, or rejects when it is still pending after `ms` (the defect: pending forever). */
async function settlesWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, pending]);
  } finally {
    clearTimeout(timer);
  }
}

// Issue 19, items 2 and 4: recovery and failover never hang, and never revive a client the app gave up.
describe('regression: Telegram session monitor deadlines and leases', () => {
  let telegram: FakeTelegram;
  let dc: FakeDataCenter;
  const clients: TelegramClient[] = [];

  // GramJS's defaults: connect() retries forever (connectionRetries Infinity), here every 50 ms.
  const newClient = (session: string): TelegramClient => {
    const c = new TelegramClient(new StringSession(session), API_ID, API_HASH, {
      connection: telegram.Connection, retryDelay: 50, baseLogger: new Logger(LogLevel.NONE),
    });
    clients.push(c);
    return c;
  };

  beforeEach(() => {
    instrument();
    telegram = new FakeTelegram();
    dc = telegram.addDataCenter({ dcId: 2 });
  });

  afterEach(async () => {
    dc.setReachable(true);
    for (const c of clients.splice(0)) await c.destroy();
    telegram.close();
  });

  describe('item 2: every step has a deadline', () => {
    it('gives up recovery while the DC is unreachable, then recovers once it is back', async () => {
      const client = newClient(dc.sessionString());
      await client.connect();
      const monitor = new TelegramSessionMonitor({ client, ...FAST });
      try {
        dc.setReachable(false);
        assert.equal(await settlesWithin(monitor.recover(), 3000, 'recover()'), 'recovery_failed');
        dc.setReachable(true);
        assert.equal(await settlesWithin(monitor.recover(), 3000, 'recover()'), 'recovered');
        assert.equal(client.connected, true);
        assert.equal(dc.maxConcurrentPerSession, 1);
      } finally {
        monitor.stop();
      }
    });

    it('does not wait forever for a getMe() the DC never answers, and later checks still run', async () => {
      const client = newClient(dc.sessionString());
      await client.connect();
      const monitor = new TelegramSessionMonitor({ client, ...FAST });
      try {
        dc.on('users.GetUsers', () => noReply());
        await client.disconnect();
        assert.equal(await settlesWithin(monitor.checkNow(), 3000, 'checkNow()'), 'recovery_failed');
        dc.off('users.GetUsers');
        assert.equal(await settlesWithin(monitor.checkNow(), 3000, 'checkNow()'), 'none', 'the reconnected session is healthy again');
      } finally {
        monitor.stop();
      }
    });

    it('fails over within its deadline when the standby DC does not answer', async () => {
      const client = newClient(dc.sessionString());
      await client.connect();
      const pool = createMemorySessionPool([{ id: 'standby-1', session: dc.newSession() }]);
      const monitor = new TelegramSessionMonitor({ client, pool, createClient: newClient, ...FAST });
      try {
        dc.setReachable(false);
        assert.equal(await settlesWithin(monitor.failover('test'), 3000, 'failover()'), 'failover_failed');
        assert.equal(monitor.client, client);
        assert.equal(pool.available(), 1, 'a standby that could not connect is not retired: the DC was down, not the session');
      } finally {
        monitor.stop();
      }
    });
  });

  describe('item 4: a client the app gave up is never revived', () => {
    it('leaves a destroyed client alone when the app runs its session on a new client', async () => {
      const session = dc.sessionString();
      const old = newClient(session);
      await old.connect();
      const monitor = new TelegramSessionMonitor({ client: old, ...FAST });
      try {
        await old.destroy();
        const replacement = newClient(session);
        await replacement.connect();
        assert.equal(await monitor.checkNow(), 'abandoned');
        assert.equal(old.connected, false);
        assert.equal(dc.maxConcurrentPerSession, 1, 'never two live connections on one auth key');
      } finally {
        monitor.stop();
      }
    });

    it('does not reconnect a disconnected client while another client of the process runs the same session', async () => {
      const session = dc.sessionString();
      const old = newClient(session);
      await old.connect();
      const monitor = new TelegramSessionMonitor({ client: old, ...FAST });
      try {
        await old.disconnect();
        const replacement = newClient(session);
        await replacement.connect();
        assert.equal(await monitor.recover(), 'abandoned');
        assert.equal(old.connected, false);
        assert.equal(dc.maxConcurrentPerSession, 1);
      } finally {
        monitor.stop();
      }
    });

    it('aborts a recovery in progress when the app destroys the client, and the client stays down', async () => {
      const client = newClient(dc.sessionString());
      await client.connect();
      const monitor = new TelegramSessionMonitor({ client, stepTimeoutMs: 60_000, backoff: FAST.backoff });
      try {
        dc.setReachable(false);
        const recovering = monitor.recover();
        await new Promise((r) => setTimeout(r, 150)); // connect() is retrying
        await client.destroy();
        assert.equal(await settlesWithin(recovering, 1000, 'recover()'), 'abandoned');
        const opened = dc.connections;
        dc.setReachable(true);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(client.connected, false);
        assert.equal(dc.connections, opened, 'no connection was opened for the destroyed client');
      } finally {
        monitor.stop();
      }
    });
  });
});
