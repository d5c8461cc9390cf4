import { strict as assert } from 'node:assert';
import { Api, TelegramClient, errors } from 'telegram';
import { StringSession } from 'telegram/sessions';
import { Logger, LogLevel } from 'telegram/extensions/Logger';
import { returnBigInt } from 'telegram/Helpers';
import { FakeTelegram, delay, noReply, rpcError } from '../../../../src/testing/index';

function client(telegram: FakeTelegram, session: string): TelegramClient {
  return new TelegramClient(new StringSession(session), 1, 'fake-api-hash-000', {
    connection: telegram.Connection, connectionRetries: 1, requestRetries: 2, floodSleepThreshold: 0, baseLogger: new Logger(LogLevel.NONE),
  });
}

describe('FakeTelegram', () => {
  let telegram: FakeTelegram;
  let c: TelegramClient;

  beforeEach(async () => {
    telegram = new FakeTelegram();
    const dc = telegram.addDataCenter({ dcId: 3 });
    c = client(telegram, dc.sessionString());
    await c.connect();
  });

  afterEach(async () => {
    await c.destroy();
    telegram.close();
  });

  describe('FakeDataCenter', () => {
    it('builds a StringSession GramJS loads with the DC id, address and pre-seeded key', () => {
      const dc = telegram.dataCenter(3)!;
      const s = new StringSession(dc.sessionString());
      assert.equal(s.dcId, 3);
      assert.equal(s.serverAddress, '127.0.0.1');
      assert.equal(s.port, 443);
    });

    it('answers what a TelegramClient sends on connect and getMe with real TL objects', async () => {
      const dc = telegram.dataCenter(3)!;
      assert.equal(dc.requests[0].className, 'help.GetConfig', 'InvokeWithLayer(InitConnection(GetConfig)) unwrapped');
      const me = await c.getMe();
      assert.ok(me instanceof Api.User);
      assert.equal(me.firstName, 'Fake');
      const full = await c.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() }));
      assert.ok(full instanceof Api.users.UserFull);
    });

    it('scripts answers: on, once (before on), off, and call counts', async () => {
      const dc = telegram.dataCenter(3)!;
      dc.on('help.GetNearestDc', () => new Api.NearestDc({ country: 'NL', thisDc: 3, nearestDc: 2 }));
      dc.once('help.GetNearestDc', () => rpcError('INTERNAL_TEST'));
      await assert.rejects(c.invoke(new Api.help.GetNearestDc()), (e: unknown) => e instanceof errors.RPCError && e.errorMessage === 'INTERNAL_TEST');
      const nearest = await c.invoke(new Api.help.GetNearestDc());
      assert.equal(nearest.country, 'NL');
      dc.off('help.GetNearestDc');
      assert.equal((await c.invoke(new Api.help.GetNearestDc())).country, 'ZZ');
      assert.equal(dc.callCount('help.GetNearestDc'), 3);
    });

    it('delivers real rpc_error objects that GramJS turns into its error classes', async () => {
      const dc = telegram.dataCenter(3)!;
      dc.once('updates.GetState', () => rpcError('FLOOD_WAIT_5'));
      await assert.rejects(c.invoke(new Api.updates.GetState()), (e: unknown) => e instanceof errors.FloodWaitError && e.seconds === 5 && e.code === 420);
      dc.once('updates.GetState', () => rpcError('PHONE_MIGRATE_4'));
      await assert.rejects(c.invoke(new Api.updates.GetState()), (e: unknown) => e instanceof errors.PhoneMigrateError && e.newDc === 4);
    });

    it('answers late with delay() and never with noReply()', async () => {
      const dc = telegram.dataCenter(3)!;
      dc.once('updates.GetState', () => delay(150, new Api.updates.State({ pts: 9, qts: 0, date: 1, seq: 0, unreadCount: 0 })));
      const t0 = Date.now();
      const s = await c.invoke(new Api.updates.GetState());
      assert.ok(Date.now() - t0 >= 140);
      assert.equal(s.pts, 9);
      dc.once('updates.GetState', () => noReply());
      const pending = c.invoke(new Api.updates.GetState());
      const winner = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(() => r('silent'), 200))]);
      assert.equal(winner, 'silent');
      dc.drop(); // GramJS resends the pending request on the new connection, which answers it
      assert.ok((await pending) instanceof Api.updates.State);
    });

    it('pushes updates to connected clients', async () => {
      const dc = telegram.dataCenter(3)!;
      const seen: string[] = [];
      c.addEventHandler((u: { className?: string }) => { if (u.className) seen.push(u.className); });
      dc.pushUpdate(new Api.UpdateShort({ update: new Api.UpdateUserTyping({ userId: returnBigInt(1), action: new Api.SendMessageTypingAction() }), date: 1 }));
      const deadline = Date.now() + 2000;
      while (!seen.includes('UpdateUserTyping') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(seen.includes('UpdateUserTyping'));
    });

    it('refuses connections while unreachable', async () => {
      const other = telegram.addDataCenter({ dcId: 5 });
      other.setReachable(false);
      const c2 = client(telegram, other.sessionString());
      try {
        assert.equal(await c2.connect(), false);
      } finally {
        await c2.destroy();
      }
    });

    it('tracks concurrent use of one session (what AUTH_KEY_DUPLICATED punishes)', async () => {
      const dc = telegram.dataCenter(3)!;
      assert.equal(dc.maxConcurrentPerSession, 1);
      const twin = client(telegram, dc.sessionString());
      try {
        await twin.connect();
        await twin.invoke(new Api.updates.GetState());
        assert.equal(dc.maxConcurrentPerSession, 2, 'the same session ran in two places');
      } finally {
        await twin.destroy();
      }
    });
  });
});
